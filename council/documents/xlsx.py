"""A one-sheet XLSX writer for long exports: rows are written as they come, memory stays flat.

XlsxWriter in constant-memory mode writes each row to a temporary file as soon as the
next one starts (rows must come in order, which they do), with strings inline rather than
in a shared-string table. openpyxl, write-only mode included, kept every distinct string
until the end. What stays ours is what a spreadsheet must not be given as it is: text
cleaned (``text.xml_safe``) and cut to Excel's cell limit, dates before March 1900 as
text, and no string ever read as a formula, number or link.
"""

from __future__ import annotations

import contextlib
import datetime
import re
import tempfile
from collections.abc import Iterable, Sequence

import xlsxwriter

from ..text import one_line, xml_safe

# Excel refuses a cell longer than this, and XML 1.0 any control character but tab and
# line breaks (``text.xml_safe``): a commitment text pasted from elsewhere may carry either.
MAX_CELL_CHARS = 32767
# Excel's day numbers hold dates from 1 January 1900, and its leap bug (a 29 February
# 1900) shifts those before March by a day: an earlier date is written as its ISO text,
# not as a negative or shifted day number.
_FIRST_DATE = datetime.date(1900, 3, 1)
DATE_FORMAT = "yyyy-mm-dd"
# As Russian, Kazakh and Kyrgyz write a date (Excel's codes, whatever its language).
LOCAL_DATE_FORMAT = "dd.mm.yyyy"

_OPTIONS = {
    "constant_memory": True,
    # Text stays text: no "=…" formulas, "123" numbers or "http…" links made of it.
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    # As zipfile does by default: ZIP64 headers only if a part passes 4 GB.
    "use_zip64": True,
}


def _write_cell(sheet, row: int, col: int, value, text_format=None, date_format=None) -> None:
    """One cell; ``None`` and "" give no cell at all, as Excel writes them."""
    if type(value) is str and value:  # most cells: checked first
        sheet.write_string(row, col, xml_safe(value)[:MAX_CELL_CHARS], text_format)
        return
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value, text_format)
        return
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        if value < _FIRST_DATE:
            _write_cell(sheet, row, col, value.isoformat(), text_format)
        else:
            sheet.write_datetime(row, col, value, date_format)
        return
    if isinstance(value, int | float):
        sheet.write_number(row, col, value, text_format)
        return
    _write_cell(sheet, row, col, str(value), text_format)


def write(
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    sheet_name: str,
    widths: Sequence[float] | None = None,
    date_format: str = DATE_FORMAT,
):
    """The workbook as an open temporary file positioned at its start (the caller closes it).

    ``rows`` is read once, as it comes: one row is held at a time. ``widths`` (characters,
    one per header column) sets the columns' widths; without it Excel's default stays.
    """
    spool = tempfile.TemporaryFile()  # noqa: SIM115 -- returned open, the response closes it
    workbook = xlsxwriter.Workbook(spool, _OPTIONS)
    try:
        sheet = workbook.add_worksheet(_sheet_name(sheet_name))
        bold = workbook.add_format({"bold": True})
        date = workbook.add_format({"num_format": date_format})
        if widths is not None:
            if len(widths) != len(header):
                raise ValueError(f"{len(widths)} widths for {len(header)} columns")
            for col, width in enumerate(widths):  # before any row, as constant memory needs
                sheet.set_column(col, col, width)
        sheet.freeze_panes(1, 0)
        for col, title in enumerate(header):
            _write_cell(sheet, 0, col, title, bold)
        width = len(header)
        for number, row in enumerate(rows, start=1):
            if len(row) != width:
                raise ValueError(f"row {number} has {len(row)} cells, the header {width}")
            for col, value in enumerate(row):
                _write_cell(sheet, number, col, value, date_format=date)
    except BaseException:
        with contextlib.suppress(Exception):
            workbook.close()  # removes the sheet's temporary file
        spool.close()
        raise
    workbook.close()
    spool.seek(0)
    return spool


def _sheet_name(name: str) -> str:
    """Excel's rules: at most 31 characters, none of ``[]:*?/\\``, no quote at either end."""
    return re.sub(r"[\[\]:*?/\\]", " ", one_line(name))[:31].strip("'") or "Sheet1"
