"""The decisions annex and the review print in one language: each clause in its text in
that language where recorded, else as recorded and marked so; headings in it too."""

import io

import pytest
from django.urls import reverse
from django.utils import translation

from council import services
from council.documents import word
from council.models import CommitmentVersion

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
def kazakh(world):
    return services.commitment_version_save(
        version=CommitmentVersion(
            commitment=world.commitment_a,
            language="kk",
            title="Қазақ тіліндегі атауы",
            text="Тараптар жол картасын іске асырсын.",
            is_translation=False,
        ),
        by=None,
    )


def test_the_annex_in_kazakh_uses_the_kazakh_text_and_marks_the_others(world, kazakh):
    document = text_of(word.decisions_docx(world.session, language="kk"))
    assert "Тараптар жол картасын іске асырсын." in document
    assert world.commitment_a.title not in document
    # A clause with no Kazakh text is printed as recorded, marked in Kazakh.
    assert world.commitment_b.title in document
    with translation.override("kk"):
        mark = translation.gettext("(text in the original language)")
    assert mark != "(text in the original language)" and document.count(mark) >= 1
    with translation.override("kk"):
        heading = translation.gettext("Decisions of the session")
    assert heading in document


def test_the_annex_in_the_recorded_language_has_no_mark(world, kazakh):
    document = text_of(word.decisions_docx(world.session, language="ru"))
    assert world.commitment_a.title in document
    assert "Тараптар жол картасын" not in document
    with translation.override("ru"):
        mark = translation.gettext("(text in the original language)")
    assert mark not in document


def test_the_download_takes_the_language_asked_for_else_the_readers(client, world, kazakh):
    client.force_login(world.users["secretariat"])
    url = reverse("council:session-decisions-export", args=[world.session.pk])
    asked = client.get(url, {"lang": "kk"})
    assert asked.status_code == 200
    assert "Тараптар жол картасын іске асырсын." in text_of(asked.content)
    with translation.override("ru"):
        default = client.get(url, headers={"accept-language": "ru"})
    assert world.commitment_a.title in text_of(default.content)
    # A language we do not have is not an error: the reader's is used.
    assert client.get(url, {"lang": "xx"}).status_code == 200


def test_the_spreadsheet_in_one_language_when_asked(client, world, kazakh):
    import csv

    client.force_login(world.users["secretariat"])
    url = reverse("council:commitment-export", args=["csv"])

    def table(**params):
        response = client.get(url, params)
        lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
        return "\n".join(lines), list(csv.reader(lines))

    as_recorded, _rows = table()
    assert world.commitment_a.title in as_recorded and "Тараптар жол картасын" not in as_recorded
    in_kazakh, _rows = table(lang="kk")
    assert "Қазақ тіліндегі атауы" in in_kazakh
    assert world.commitment_a.title not in in_kazakh
    # The others are as recorded, and say so.
    assert world.commitment_b.title in in_kazakh
    assert "original language" in in_kazakh or "түпнұсқа" in in_kazakh


def table_rows(content: bytes) -> list[list[str]]:
    from docx import Document

    document = Document(io.BytesIO(content))
    return [[cell.text for cell in row.cells] for row in document.tables[0].rows]


def test_the_annex_sets_the_authentic_texts_side_by_side(client, world, kazakh):
    client.force_login(world.users["secretariat"])
    url = reverse("council:session-decisions-export", args=[world.session.pk])
    answer = client.get(url, {"lang": "ru", "beside": "kk,ky"})
    assert answer.status_code == 200
    header, *rows = table_rows(answer.content)
    with translation.override("ru"):
        texts = [
            translation.gettext("Text (%(language)s)") % {"language": translation.gettext(name)}
            for name in ("Russian", "Kazakh", "Kyrgyz")
        ]
        fallback = translation.gettext("(text in the original language)")
    assert header[1:4] == texts  # headed in the document's language, Russian
    by_clause = {row[0]: row for row in rows}
    russian, kazakh_text, kyrgyz = by_clause["2.1"][1:4]
    assert world.commitment_a.title in russian and fallback not in russian
    assert "Тараптар жол картасын іске асырсын." in kazakh_text
    # No Kyrgyz text recorded: the clause as recorded, marked so, in its column.
    assert world.commitment_a.title in kyrgyz and fallback in kyrgyz
    # Unknown or repeated languages are left out, never an error.
    again = client.get(url, {"lang": "ru", "beside": ["kk", "xx", "ru"]})
    assert len(table_rows(again.content)[0]) == 5  # clause, ru, kk, responsible, deadline


def test_the_session_page_offers_each_language_and_side_by_side(client, world):
    client.force_login(world.users["focal_a"])
    page = client.get(world.session.get_absolute_url()).content.decode()
    annex = reverse("council:session-decisions-export", args=[world.session.pk])
    for query in ("?lang=ru", "?lang=kk", "?lang=ky", "?lang=en", "?lang=ru&amp;beside=kk,ky"):
        assert f'href="{annex}{query}"' in page
