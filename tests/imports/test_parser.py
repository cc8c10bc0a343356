"""Reading realistic protocols and plans: paragraphs, a table in Word, Excel with merged
headers, CSV; agencies in every form real protocols use; bad files refused."""

import io
import zipfile

import pytest

from council.imports import parse
from council.imports.agencies import assign_roles

from . import samples
from .helpers import IDS, demo_matcher, demo_sectors, not_the_bytes


@pytest.fixture(scope="module")
def matcher():
    return demo_matcher()


def read(name, data, matcher):
    return parse(name, data, matcher=matcher, sectors=demo_sectors(), reference_year=2026)


def by_clause(result):
    return {c.clause: c for c in result.clauses}


def agencies(clause):
    return [(r.agency_id, r.party, r.role) for r in clause.responsible]


# Agencies ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Dative lead, instrumental co-executor of the other party.
        (
            "Министерству торговли и интеграции Республики Казахстан совместно с "
            "Министерством экономики и коммерции Кыргызской Республики проработать вопрос",
            [("kz-mti", "lead"), ("kg-mec", "lead")],
        ),
        # Abbreviated with the party: "МТИ РК", "МЭК КР".
        ("МТИ РК и МЭК КР обеспечить проведение", [("kz-mti", "lead"), ("kg-mec", "lead")]),
        # The same short name for both parties, told apart by the party.
        (
            "Минэнерго КР совместно с Минэнерго РК обеспечить",
            [("kg-energy", "lead"), ("kz-energy", "lead")],
        ),
        # A committee of a ministry.
        (
            "Комитету индустрии туризма Министерства туризма и спорта Республики Казахстан "
            "провести форум",
            [("kz-tourism-committee", "lead")],
        ),
        # Two agencies of one party: the one "совместно с" co-executes.
        (
            "Министерству иностранных дел Республики Казахстан совместно с Министерством "
            "торговли и интеграции Республики Казахстан подготовить",
            [("kz-mfa", "lead"), ("kz-mti", "co_executor")],
        ),
        # A typo still matches, with a lower score.
        ("Министерству торговли и интеграцыи Республики Казахстан", [("kz-mti", "lead")]),
    ],
)
def test_agency_forms(matcher, text, expected):
    found = matcher.find(text)
    roles = [(f.agency.id, role) for f, role in assign_roles(found)]
    assert roles == [(IDS[key], role) for key, role in expected]


def test_a_typo_scores_below_an_exact_name(matcher):
    exact = matcher.find("Министерству торговли и интеграции Республики Казахстан")[0]
    typo = matcher.find("Министерству торговли и интеграцыи Республики Казахстан")[0]
    assert exact.score == 100 and 86 <= typo.score < 100


def test_a_name_both_parties_use_is_not_guessed_without_a_party(matcher):
    (found,) = matcher.find("Минэнерго обеспечить")
    assert found.agency is None and len(found.candidates) == 2
    (found,) = matcher.find("Минэнерго", party_hint="KG")
    assert found.agency.id == IDS["kg-energy"]


def test_kazakh_and_kyrgyz_names_match(matcher):
    (kz,) = matcher.find("Қазақстан Республикасы Сауда және интеграция министрлігі")
    (kg,) = matcher.find("Кыргыз Республикасынын Энергетика министрлиги")
    assert (kz.agency.id, kg.agency.id) == (IDS["kz-mti"], IDS["kg-energy"])


# The Word protocol ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def protocol(matcher):
    return read("protocol.docx", samples.protocol_docx(), matcher)


def test_every_clause_is_found_in_order(protocol):
    assert protocol.errors == []
    assert [c.clause for c in protocol.clauses] == [
        "1", "1.1", "1.2", "1.3", "2.1", "2.2", "3.1", "4.1", "4.2",
        "5.1", "5.2", "5.3", "6.1", "6.2", "7",
    ]  # fmt: skip


def test_a_clause_with_its_agencies_deadline_and_section(protocol):
    clause = by_clause(protocol)["1.1"]
    assert clause.title.startswith("Разработать Дорожную карту")
    assert clause.text.startswith("Министерству торговли и интеграции")
    assert clause.section == "I. О торгово-экономическом сотрудничестве"
    assert clause.sector == "trade"
    assert clause.deadline.as_json() == {"kind": "date", "date": "2027-06-01"}
    assert agencies(clause) == [(IDS["kz-mti"], "KZ", "lead"), (IDS["kg-mec"], "KG", "lead")]
    assert clause.responsible[0].score == 100
    assert clause.warnings == []


def test_a_clause_over_several_paragraphs(protocol):
    clause = by_clause(protocol)["1.2"]
    assert "В рамках заседания рассмотреть" in clause.text
    assert clause.text.count("\n\n") == 1
    assert clause.deadline.date.isoformat() == "2027-12-31"  # IV квартал


def test_sectors_come_from_the_headings(protocol):
    sectors = {c.clause: c.sector for c in protocol.clauses}
    assert sectors["2.1"] == "energy" and sectors["3.1"] == "water"
    assert sectors["4.1"] == "transport" and sectors["6.1"] == "investment"


def test_deadline_forms_in_the_document(protocol):
    deadlines = {c.clause: c.deadline and c.deadline.as_json() for c in protocol.clauses}
    assert deadlines["1.3"] == {"kind": "date", "date": "2027-09-30"}
    assert deadlines["2.1"] == {"kind": "ongoing"}  # in the sentence
    assert deadlines["2.2"] == {"kind": "ongoing"}  # ежеквартально
    assert deadlines["3.1"] == {"kind": "date", "date": "2027-05-31"}
    assert deadlines["4.2"] == {"kind": "date", "date": "2027-12-01"}  # "в срок до …"
    assert deadlines["5.1"] == {"kind": "next_session"}
    assert deadlines["5.2"] == {"kind": "date", "date": "2027-12-31"}
    assert deadlines["5.3"] == {"kind": "date", "date": "2027-12-31"}


def test_a_deadline_not_understood_is_a_warning_not_a_guess(protocol):
    clause = by_clause(protocol)["7"]
    assert clause.deadline is None
    assert any("по согласованию Сторон" in w for w in clause.warnings)


def test_an_unknown_agency_is_named_in_a_warning(protocol):
    clause = by_clause(protocol)["1.3"]
    assert clause.responsible == []
    assert any("Агентству по защите и развитию конкуренции" in w for w in clause.warnings)


def test_a_clause_taking_note_is_marked_and_has_no_executor(protocol):
    clause = by_clause(protocol)["1"]
    assert clause.noted and clause.responsible == [] and clause.deadline is None
    assert clause.notes  # the preview says it is not imported


def test_the_table_inside_the_word_file_is_read(protocol):
    clause = by_clause(protocol)["6.1"]
    assert clause.title == "Провести Казахстанско-Кыргызский инвестиционный форум"
    assert agencies(clause) == [
        (IDS["kz-invest"], "KZ", "lead"),
        (IDS["kg-invest"], "KG", "lead"),
    ]
    assert clause.deadline.date.isoformat() == "2027-06-01"


def test_json_shape(protocol):
    data = protocol.as_json()
    assert set(data) == {"clauses", "errors"}
    clause = data["clauses"][1]
    assert set(clause) == {
        "clause", "title", "text", "sector", "deadline", "responsible", "warnings",
    }  # fmt: skip
    assert set(clause["responsible"][0]) == {"agency_id", "agency", "party", "role", "score"}


def test_repeated_clause_numbers_are_flagged(matcher):
    items = [
        ("p", "1. МТИ РК обеспечить поставки. Срок – 2027 год."),
        ("p", "1. МЭК КР обеспечить поставки."),
        ("p", "Срок – 2027 год."),
    ]
    result = read("p.docx", samples.protocol_docx(items, table=False, after=False), matcher)
    first, second = result.clauses
    assert not first.repeated and second.repeated
    assert any("repeated" in w for w in second.warnings)


def test_a_very_long_clause_is_flagged(matcher):
    items = [("p", "1. МТИ РК обеспечить " + "работу " * 800), ("p", "Срок – 2027 год.")]
    result = read("p.docx", samples.protocol_docx(items, table=False, after=False), matcher)
    assert any("very long" in w for w in result.clauses[0].warnings)


# Excel and CSV -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("plan.xlsx", samples.plan_xlsx()),
        ("plan.csv", samples.plan_csv()),
        ("plan-comma.csv", samples.plan_csv(delimiter=",", encoding="cp1251")),
    ],
    ids=not_the_bytes,
)
def test_a_plan_of_measures(matcher, name, data):
    result = read(name, data, matcher)
    assert result.errors == []
    clauses = by_clause(result)
    assert list(clauses) == ["1", "2", "3", "4"]
    assert clauses["1"].sector == "trade" and clauses["3"].sector == "energy"
    # The party comes from the column: "Минэнерго" alone is each side's own ministry.
    assert agencies(clauses["3"]) == [
        (IDS["kz-energy"], "KZ", "lead"),
        (IDS["kg-energy"], "KG", "lead"),
    ]
    assert agencies(clauses["2"]) == [(IDS["kz-mti"], "KZ", "lead"), (IDS["kg-mec"], "KG", "lead")]
    assert agencies(clauses["4"])[1] == (IDS["kz-mfa"], "KZ", "co_executor")
    assert clauses["3"].deadline.date.isoformat() == "2027-11-30"
    assert clauses["1"].deadline.date.isoformat() == "2027-12-31"
    assert clauses["4"].deadline is None and clauses["4"].warnings
    assert "Форма завершения: Протокол заседания" in clauses["1"].text


# Bad files -----------------------------------------------------------------------------


def _zip(parts: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("protocol.docx", b"MZ\x90\x00 not a document", "not a Word"),
        ("protocol.docx", samples.plan_xlsx(), "not a Word"),
        ("plan.xlsx", samples.protocol_docx(), "not a Excel"),
        ("protocol.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "password"),
        ("protocol.docx", b"", "empty"),
        ("plan.csv", b"   \n", "empty"),
        ("plan.xlsm", samples.plan_xlsx(), "Macro"),
        ("plan.xlsx", samples.plan_xlsx(macro_part=True), "macros"),
        ("protocol.doc", b"\xd0\xcf\x11\xe0", "old Office"),
        ("protocol.pdf", b"%PDF-1.4", "Upload a Word"),
        (
            "protocol.docx",
            _zip({"word/document.xml": b"<w/>", "word/bomb.xml": b"\x00" * (3 * 1024 * 1024)}),
            "unpacks",
        ),
        ("plan.csv", b"a;b\x00c", "not a CSV"),
        (
            "protocol.docx",
            samples.protocol_docx([("p", "Просто текст")], table=False, after=False),
            "No numbered",
        ),
        ("protocol.docx", b"PK\x03\x04 broken", "not a Word"),
    ],
    ids=not_the_bytes,
)
def test_bad_files_get_a_clear_message(matcher, name, data, message):
    result = read(name, data, matcher)
    assert result.clauses == []
    assert len(result.errors) == 1 and message.lower() in result.errors[0].lower()


def test_a_file_over_20_mb_is_refused(matcher):
    result = read("plan.csv", b"1;x\n" * (6 * 1024 * 1024), matcher)
    assert "20 MB" in result.errors[0]


def test_more_than_2000_clauses_is_refused(matcher):
    rows = "№;Наименование мероприятия;Срок исполнения\n" + "".join(
        f"{n};Провести встречу;2027 год\n" for n in range(1, 2002)
    )
    result = read("plan.csv", rows.encode(), matcher)
    assert result.clauses == [] and "2000" in result.errors[0]
