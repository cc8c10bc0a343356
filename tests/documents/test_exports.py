"""The commitment list exports: streamed, the same columns, dates as dates, nothing a
spreadsheet would run, and a query count that grows with chunks of rows, not rows."""

import datetime
import io
import zipfile

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from council.documents import tables as exports
from council.models import Commitment, Responsibility

from ..factories import (
    AgencyFactory,
    CommitmentFactory,
    CouncilFactory,
    PartyFactory,
    ResponsibilityFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def council_data(db):
    kz, kg = PartyFactory(code="KZ", order=1), PartyFactory(code="KG", order=2)
    council = CouncilFactory(parties=[kz, kg], short_name="KZ-KG")
    session = SessionFactory(council=council, number=13, start_date=datetime.date(2025, 11, 14))
    lead_kz = AgencyFactory(party=kz, short_name="MTI")
    lead_kg = AgencyFactory(party=kg, short_name="MoE")
    co = AgencyFactory(party=kz, short_name="Customs")
    first = CommitmentFactory(
        session=session,
        clause="=1+1",
        title="@SUM(A1)\x0bwith a vertical tab",
        text="-2+3 <b>&</b>",
        deadline=datetime.date(2026, 6, 1),
    )
    ResponsibilityFactory(commitment=first, agency=lead_kg, party=kg)
    ResponsibilityFactory(commitment=first, agency=lead_kz, party=kz)
    ResponsibilityFactory(commitment=first, agency=co, party=kz, role="co_executor")
    CommitmentFactory(session=session, deadline_kind=Commitment.DeadlineKind.ONGOING, deadline=None)
    return {"council": council, "session": session, "first": first}


def _get(client, fmt, **params):
    return client.get(reverse("council:commitment-export", args=[fmt]), params)


def _sheet_rows(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook, list(workbook.active.iter_rows(values_only=True))


def test_xlsx_streams_the_same_columns_with_dates_as_dates(admin_client, council_data):
    response = _get(admin_client, "xlsx", council=council_data["council"].pk, ordering="deadline")
    assert isinstance(response, StreamingHttpResponse) and response.status_code == 200
    workbook, rows = _sheet_rows(response)
    assert list(rows[0]) == exports.headers() and len(rows) == 3
    first = next(row for row in rows[1:] if row[3] == "'=1+1")
    assert first[0] == "KZ-KG" and first[1] == 13
    assert first[2] == datetime.datetime(2025, 11, 14)  # a date cell, read back as datetime
    assert first[9] == datetime.datetime(2026, 6, 1)
    assert workbook.active.cell(2, 3).number_format == "yyyy-mm-dd"
    # Leads in party order, co-executors apart.
    assert first[7] == "MTI (KZ); MoE (KG)" and first[8] == "Customs (KZ)"
    assert first[11] == "Not started" and first[12] == "yes" and first[13] == "yes"  # overdue
    assert first[14].endswith(f"/commitments/{council_data['first'].pk}/")
    # Neutralised, the vertical tab (Word's manual line break) a line break, markup as text.
    assert first[3] == "'=1+1" and first[4] == "'@SUM(A1)\nwith a vertical tab"
    assert first[5] == "'-2+3 <b>&</b>"
    ongoing = next(row for row in rows[1:] if row is not first)
    assert ongoing[9] is None and ongoing[10] == "Ongoing"
    assert workbook.active.freeze_panes == "A2"
    assert workbook.active.cell(1, 1).font.b


@pytest.mark.parametrize(
    ("language", "date_format"),
    [("ru", "dd.mm.yyyy"), ("kk", "dd.mm.yyyy"), ("ky", "dd.mm.yyyy"), ("en", "yyyy-mm-dd")],
)
def test_xlsx_columns_are_sized_and_dates_local(admin_client, council_data, language, date_format):
    """Columns as wide as their content wants, dates as the language writes them."""
    from django.conf import settings

    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = _get(admin_client, "xlsx", council=council_data["council"].pk)
    workbook, rows = _sheet_rows(response)
    sheet = workbook.active
    header = rows[0]
    # Neighbouring columns of one width come back as one range (min..max).
    widths = {
        col: dimension.width
        for dimension in sheet.column_dimensions.values()
        if dimension.customWidth
        for col in range(dimension.min, dimension.max + 1)
    }
    width = {title: widths.get(col, 0) for col, title in enumerate(header, start=1)}
    for title in header:
        assert width[title] >= max(8, min(len(title) + 2, 40)), title  # the header fits
    assert width[header[3]] < width[header[4]] < width[header[5]]  # clause, title, text
    assert 12 <= width[header[2]] < 20  # a date
    for row in range(2, len(rows) + 1):
        for col in (3, 10):  # session date, deadline
            if sheet.cell(row, col).value is not None:
                assert sheet.cell(row, col).is_date
                assert sheet.cell(row, col).number_format == date_format
    assert sheet.freeze_panes == "A2"


def test_xlsx_is_a_valid_package(admin_client, council_data):
    data = b"".join(_get(admin_client, "xlsx").streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert {"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"} <= set(
            archive.namelist()
        )


def test_csv_has_the_same_columns_and_values(admin_client, council_data):
    import csv

    response = _get(admin_client, "csv", council=council_data["council"].pk, ordering="deadline")
    assert isinstance(response, StreamingHttpResponse)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == exports.headers()
    first = next(row for row in rows[1:] if row[3] == "'=1+1")
    assert first[2] == "2025-11-14" and first[9] == "2026-06-01"
    assert first[7] == "MTI (KZ); MoE (KG)"


@pytest.mark.parametrize(
    ("language", "delimiter"), [("ru", ";"), ("kk", ";"), ("ky", ";"), ("en", ",")]
)
def test_csv_separator_follows_the_language(admin_client, council_data, language, delimiter):
    """Excel with Russian regional settings splits a CSV on ";" (the decimal is ",")."""
    import csv

    from django.conf import settings
    from django.utils import translation

    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = _get(admin_client, "csv", council=council_data["council"].pk)
    data = b"".join(response.streaming_content)
    assert data.startswith("\ufeff".encode())  # so Excel reads it as UTF-8
    text = data.decode("utf-8-sig")
    with translation.override(language):
        header = exports.headers()
    assert text.splitlines()[0].split(delimiter) == header
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert len(rows) == 3 and all(len(row) == len(header) for row in rows)
    with translation.override("en"):
        english = exports.headers()
    assert (header != english) == (language != "en")  # translated: the language did switch


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_queries_do_not_grow_with_rows(admin_client, council_data, fmt, monkeypatch):
    client = admin_client
    monkeypatch.setattr(exports, "CHUNK", 50)
    url = reverse("council:commitment-export", args=[fmt])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get(url).streaming_content)
        return len(captured)

    few = queries()
    session = council_data["session"]
    for _ in range(40):  # still one chunk
        ResponsibilityFactory(commitment=CommitmentFactory(session=session))
    assert queries() == few
    assert Responsibility.objects.count() > 40


def test_export_memory_is_held_per_chunk(council_data, monkeypatch):
    """Rows come from a server-side iterator in chunks; the writer never holds them all."""
    monkeypatch.setattr(exports, "CHUNK", 1)
    rows = exports.rows(Commitment.objects.order_by("pk"), "https://example.org")
    assert len(list(rows)) == 2


def _written(header, rows, sheet_name="Commitments", **options):
    xlsx = exports.xlsx  # where the exports write it, wherever that module lives

    with xlsx.write(header, rows, sheet_name=sheet_name, **options) as spool:
        return load_workbook(io.BytesIO(spool.read()))


def test_xlsx_writer_values_dates_and_header():
    xlsx = exports.xlsx  # where the exports write it, wherever that module lives

    long_text = "x" * (xlsx.MAX_CELL_CHARS + 10)
    rows = [
        ["a\x01b\x0bc", 7, 2.5, True, datetime.date(2026, 6, 1), None, ""],
        ["=1+1", 0, 0, False, datetime.datetime(2025, 11, 14, 9, 30), "https://x.org", "_x0041_"],
        [long_text, -1, 1e6, False, datetime.date(1899, 12, 31), "0123", "  padded "],
    ]
    workbook = _written(["A", "B", "C", "D", "E", "F", "G"], rows, sheet_name="Обязательства: [1]")
    sheet = workbook.active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("A", "B", "C", "D", "E", "F", "G") and sheet.cell(1, 1).font.b
    assert values[1] == ("ab\nc", 7, 2.5, True, datetime.datetime(2026, 6, 1), None, None)
    # Text stays text: no formula, link or number made of it; no escape read into it.
    assert values[2][0] == "=1+1" and sheet.cell(3, 1).data_type == "s"
    assert values[2][4] == datetime.datetime(2025, 11, 14) and values[2][5] == "https://x.org"
    # A literal "_x0041_" is escaped as Excel reads it back ("_x005F" is the underscore),
    # so Excel shows it as typed, not as "A"; openpyxl does not undo that escape.
    assert values[2][6] == "_x005F_x0041_" and not sheet._hyperlinks
    assert len(values[3][0]) == xlsx.MAX_CELL_CHARS
    assert values[3][4] == "1899-12-31"  # before Excel's day numbers: as text
    assert values[3][5] == "0123" and values[3][6] == "  padded "
    assert sheet.cell(2, 5).number_format == "yyyy-mm-dd" and sheet.cell(2, 5).is_date
    assert sheet.freeze_panes == "A2" and sheet.title == "Обязательства   1 "
    assert not any(dim.width and dim.customWidth for dim in sheet.column_dimensions.values())


def test_xlsx_writer_sets_widths_and_date_format():
    rows = [["1", datetime.date(2026, 6, 1)]]
    sheet = _written(["Clause", "Deadline"], rows, widths=[8, 12], date_format="dd.mm.yyyy").active
    assert 8 <= sheet.column_dimensions["A"].width < 9
    assert 12 <= sheet.column_dimensions["B"].width < 13
    assert sheet.cell(2, 2).number_format == "dd.mm.yyyy" and sheet.cell(2, 2).is_date
    assert sheet.freeze_panes == "A2"
    with pytest.raises(ValueError, match="widths"):
        exports.xlsx.write(["A", "B"], [], sheet_name="S", widths=[8])


def test_xlsx_writer_refuses_a_row_of_the_wrong_length():
    xlsx = exports.xlsx  # where the exports write it, wherever that module lives

    with pytest.raises(ValueError, match="row 1"):
        xlsx.write(["A", "B"], [["only one"]], sheet_name="S")


def test_xlsx_writer_memory_stays_flat_with_rows():
    """Rows go to disk as they come: 10,000 rows take little more memory than 1,000."""
    import tracemalloc

    xlsx = exports.xlsx  # where the exports write it, wherever that module lives

    def peak(count):
        rows = (
            [f"Commitment {i} " * 8, i, datetime.date(2026, 1, 1 + i % 28), "KZ-KG"]
            for i in range(count)
        )
        tracemalloc.start()
        try:
            xlsx.write(["Text", "No", "Deadline", "Council"], rows, sheet_name="S").close()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(1_000), peak(10_000)
    assert large < small * 1.5 + 256 * 1024, (small, large)

    workbook = _written(["n"], ([i] for i in range(10_000)))
    assert workbook.active.max_row == 10_001 and workbook.active.cell(10_001, 1).value == 9_999
