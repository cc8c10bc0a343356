"""The preview, corrections, confirm, re-import and the command, on the demo's 14th
session with the sample protocol."""

import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from council import services
from council.models import Agency, Commitment, Protocol, ProtocolFile
from council.services.imports import Correction

from . import samples

pytestmark = [pytest.mark.usefixtures("demo_once"), pytest.mark.xdist_group("demo")]

NAME = "Протокол 14 заседания.docx"


@pytest.fixture
def session(demo):
    return demo.sessions["igc-14"]


@pytest.fixture
def secretariat(demo):
    return demo.users["secretariat"]


def agency(key_party, short):
    return Agency.objects.get(party__code=key_party, short_name_ru=short)


def fix_clause_7(extra=None):
    """Clause 7's deadline is not understood: the person chooses "next session"."""
    return {"7": Correction(deadline_kind="next_session")} | (extra or {})


def test_preview_lists_every_clause_and_saves_nothing(session):
    preview = services.import_read(session=session, name=NAME, data=samples.protocol_docx())
    assert preview.errors == []
    assert len(preview.rows) == 15
    assert preview.counts()["new"] == 14 and preview.counts()["noted"] == 1
    row = preview.rows[1]
    assert row.clause == "1.1" and row.sector.code == "trade"
    assert [(a.short_name_ru, role) for a, role in row.responsible] == [
        ("МТИ", "lead"),
        ("МЭК", "lead"),
    ]
    assert not Commitment.objects.filter(session=session).exists()
    assert not Protocol.objects.filter(session=session).exists()


def test_confirm_saves_through_the_services_with_history_and_keeps_the_file(session, secretariat):
    data = samples.protocol_docx()
    _, outcome = services.import_confirm(
        session=session, name=NAME, data=data, corrections=fix_clause_7(), by=secretariat
    )
    assert len(outcome.created) == 14  # every clause but the one taking note
    assert outcome.skipped == ["1"]
    saved = Commitment.objects.get(session=session, clause="1.1")
    assert saved.deadline.isoformat() == "2027-06-01" and saved.sector.code == "trade"
    assert saved.source == NAME
    assert set(saved.responsibilities.values_list("agency__short_name_ru", "role")) == {
        ("МТИ", "lead"),
        ("МЭК", "lead"),
    }
    record = saved.history.latest()
    assert record.history_change_reason == f"Imported from {NAME}"
    assert record.history_user == secretariat
    assert Commitment.objects.get(session=session, clause="7").deadline_kind == "next_session"
    # The file is kept with the protocol (recorded as a draft: the session had none).
    kept = ProtocolFile.objects.get(protocol__session=session)
    assert kept.original_name == NAME and kept.kind == "text"
    assert kept.file.read() == data


def test_a_row_left_without_a_deadline_refuses_the_whole_import(session, secretariat):
    with pytest.raises(ValidationError) as refused:
        services.import_confirm(
            session=session, name=NAME, data=samples.protocol_docx(), by=secretariat
        )
    assert "7" in refused.value.messages[0]
    assert not Commitment.objects.filter(session=session).exists()
    assert not ProtocolFile.objects.filter(protocol__session=session).exists()


def test_corrections_in_the_preview_win(session, secretariat):
    mfa = agency("KZ", "МИД")
    mec = agency("KG", "МЭК")
    corrections = fix_clause_7(
        {
            # The unknown agency of 1.3 replaced by a chosen one.
            "1.3": Correction(responsible=[(mfa.pk, "lead"), (mec.pk, "lead")]),
            "2.1": Correction(
                deadline_kind="date", deadline=__import__("datetime").date(2027, 3, 1)
            ),
            "5.3": Correction(skip=True),
            "4.1": Correction(title="Новые авиарейсы"),
        }
    )
    _, outcome = services.import_confirm(
        session=session,
        name=NAME,
        data=samples.protocol_docx(),
        corrections=corrections,
        by=secretariat,
    )
    assert "5.3" in outcome.skipped
    assert not Commitment.objects.filter(session=session, clause="5.3").exists()
    c13 = Commitment.objects.get(session=session, clause="1.3")
    assert set(c13.responsibilities.values_list("agency_id", flat=True)) == {mfa.pk, mec.pk}
    assert (
        Commitment.objects.get(session=session, clause="2.1").deadline.isoformat() == "2027-03-01"
    )
    assert Commitment.objects.get(session=session, clause="4.1").title == "Новые авиарейсы"


def test_two_leads_of_one_party_is_a_row_error(session, secretariat):
    mti, mfa = agency("KZ", "МТИ"), agency("KZ", "МИД")
    corrections = fix_clause_7(
        {"1.1": Correction(responsible=[(mti.pk, "lead"), (mfa.pk, "lead")])}
    )
    with pytest.raises(ValidationError):
        services.import_confirm(
            session=session,
            name=NAME,
            data=samples.protocol_docx(),
            corrections=corrections,
            by=secretariat,
        )
    assert not Commitment.objects.filter(session=session).exists()


def test_reimport_updates_changed_adds_new_flags_missing_and_duplicates_nothing(
    session, secretariat
):
    services.import_confirm(
        session=session,
        name=NAME,
        data=samples.protocol_docx(),
        corrections=fix_clause_7(),
        by=secretariat,
    )
    items = [
        (k, t.replace("до 1 июня 2027 года", "до 1 сентября 2027 года"))
        for k, t in samples.PROTOCOL_14
        if not t.startswith("5.3.") and "Айтматова" not in t and t != "Срок – 2027 год."
    ] + [("p", "5.4. МТИ РК провести выставку товаров."), ("p", "Срок – 2027 год.")]
    corrected = samples.protocol_docx(items)
    preview = services.import_read(session=session, name="v2.docx", data=corrected)
    status = {r.clause: r.status for r in preview.rows}
    assert status["1.1"] == "changed" and status["1.2"] == "unchanged"
    assert status["5.4"] == "new"
    assert [c.clause for c in preview.missing] == ["5.3"]
    (change,) = next(r for r in preview.rows if r.clause == "1.1").changes
    assert change[1:] == ("01.06.2027", "01.09.2027")

    before = Commitment.objects.filter(session=session).count()
    _, outcome = services.import_confirm(
        session=session,
        name="v2.docx",
        data=corrected,
        corrections=fix_clause_7(),
        by=secretariat,
    )
    assert [c.clause for c in outcome.updated] == ["1.1"]
    assert [c.clause for c in outcome.created] == ["5.4"]
    assert Commitment.objects.filter(session=session).count() == before + 1
    assert Commitment.objects.filter(session=session, clause="5.3").exists()  # not deleted
    updated = Commitment.objects.get(session=session, clause="1.1")
    assert updated.deadline.isoformat() == "2027-09-01"
    assert updated.history.latest().history_change_reason == "Imported from v2.docx"


def test_only_the_secretariat_imports(session, demo):
    with pytest.raises(PermissionDenied):
        services.import_confirm(
            session=session,
            name=NAME,
            data=samples.protocol_docx(),
            corrections=fix_clause_7(),
            by=demo.users["focal"],
        )


def test_a_bad_file_saves_nothing(session, secretariat):
    with pytest.raises(ValidationError) as refused:
        services.import_confirm(
            session=session, name="plan.xlsm", data=samples.plan_xlsx(), by=secretariat
        )
    assert "Macro" in refused.value.messages[0]
    assert not Commitment.objects.filter(session=session).exists()


# The command ---------------------------------------------------------------------------


def run(*args):
    out = io.StringIO()
    call_command("import_protocol", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_command_json_dry_run(session, tmp_path):
    path = tmp_path / "protocol.docx"
    path.write_bytes(samples.protocol_docx())
    output = run(str(path), "--session", str(session.pk), "--dry-run", "--json")
    data = json.loads(output)  # exactly one JSON object
    assert set(data) == {"clauses", "errors"} and data["errors"] == []
    first = data["clauses"][1]
    assert first["clause"] == "1.1"
    assert first["deadline"] == {"kind": "date", "date": "2027-06-01"}
    assert first["sector"] == "trade"
    mti = Agency.objects.get(party__code="KZ", short_name_ru="МТИ")
    assert first["responsible"][0] == {
        "agency_id": mti.pk, "agency": str(mti), "party": "KZ", "role": "lead", "score": 100,
    }  # fmt: skip
    assert not Commitment.objects.filter(session=session).exists()


def test_command_saves_once_and_adds_nothing_the_second_time(session, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(samples.plan_xlsx())
    first = json.loads(run(str(path), "--session", str(session.pk), "--json"))
    # Clause 4's deadline is not understood: reported, not saved, never guessed.
    assert any("4" in e for e in first["errors"])
    assert Commitment.objects.filter(session=session).count() == 3
    files = ProtocolFile.objects.filter(protocol__session=session).count()
    history = Commitment.history.filter(session_id=session.pk).count()
    run(str(path), "--session", str(session.pk), "--json")
    assert Commitment.objects.filter(session=session).count() == 3
    assert ProtocolFile.objects.filter(protocol__session=session).count() == files == 1
    assert Commitment.history.filter(session_id=session.pk).count() == history


def test_command_bad_file_json(session, tmp_path):
    path = tmp_path / "empty.docx"
    path.write_bytes(b"")
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command(
            "import_protocol", str(path), "--session", str(session.pk), "--json", stdout=out
        )
    assert json.loads(out.getvalue()) == {"clauses": [], "errors": ["The file is empty."]}
