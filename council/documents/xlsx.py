"""A one-sheet XLSX writer for long exports: rows go straight to XML, memory stays flat.

openpyxl (write-only mode included) builds a cell object per value and keeps every
distinct string in a shared-string table until the end; for 10,000 commitments that
was over a second of the export and memory growing with the rows. Here each row becomes
a few lines of XML written to a temporary file: strings inline (``t="inlineStr"``),
dates as day numbers with a date format, the header bold and frozen. The files open in
Excel and LibreOffice and read back with openpyxl (the tests do).
"""

from __future__ import annotations

import datetime
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

from ..text import one_line, xml_safe

# Excel refuses a cell longer than this, and XML 1.0 any control character but tab and
# line breaks (``text.xml_safe``): a commitment text pasted from elsewhere may carry either.
MAX_CELL_CHARS = 32767
_EPOCH = datetime.date(1899, 12, 30)  # day 0 of Excel's 1900 date system (after its leap bug)
# Excel's day numbers hold dates from 1 January 1900, and its leap bug (a 29 February
# 1900) shifts those before March by a day: an earlier date is written as its ISO text,
# not as a negative or shifted day number.
_FIRST_DATE = datetime.date(1900, 3, 1)
_BATCH = 500  # rows joined into one write

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Cell styles (index into cellXfs): 0 plain, 1 date, 2 bold (the header row).
_STYLES = (
    _DECLARATION + f"<styleSheet {_NS}>"
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_CONTENT_TYPES = (
    _DECLARATION + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ROOT_RELS = (
    _DECLARATION
    + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _DECLARATION
    + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_SHEET_START = (
    _DECLARATION + f"<worksheet {_NS} {_NS_R}>"
    '<sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
    "</sheetView></sheetViews><sheetData>"
)
_SHEET_END = "</sheetData></worksheet>"


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    return escape(xml_safe(value)[:MAX_CELL_CHARS])


def _cell(ref: str, value, style: int = 0) -> str:
    """One ``<c>`` element; ``None`` and "" give no cell at all, as Excel writes them."""
    style_attr = f' s="{style}"' if style else ""
    if type(value) is str and value:  # most cells: checked first
        return (
            f'<c r="{ref}" t="inlineStr"{style_attr}><is><t xml:space="preserve">'
            f"{_text(value)}</t></is></c>"
        )
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"{style_attr}><v>{int(value)}</v></c>'
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        if value < _FIRST_DATE:
            return _cell(ref, value.isoformat(), style)
        return f'<c r="{ref}" s="1"><v>{(value - _EPOCH).days}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"{style_attr}><v>{value}</v></c>'
    return (
        f'<c r="{ref}" t="inlineStr"{style_attr}><is><t xml:space="preserve">'
        f"{_text(str(value))}</t></is></c>"
    )


def write(header: Sequence[str], rows: Iterable[Sequence], *, sheet_name: str):
    """The workbook as an open temporary file positioned at its start (the caller closes it).

    ``rows`` is read once, as it comes: only ``_BATCH`` rows are held at a time.
    """
    columns = [_column_letters(i) for i in range(len(header))]
    with tempfile.TemporaryFile() as sheet:
        lines = [_SHEET_START, '<row r="1">']
        lines += [
            _cell(f"{col}1", title, style=2) for col, title in zip(columns, header, strict=True)
        ]
        lines.append("</row>")
        number = 1
        for row in rows:
            number += 1
            lines.append(f'<row r="{number}">')
            lines += [
                _cell(f"{col}{number}", value) for col, value in zip(columns, row, strict=True)
            ]
            lines.append("</row>")
            if len(lines) > _BATCH * len(columns):
                sheet.write("".join(lines).encode())
                lines.clear()
        lines.append(_SHEET_END)
        sheet.write("".join(lines).encode())
        size = sheet.tell()
        sheet.seek(0)

        spool = tempfile.TemporaryFile()  # noqa: SIM115 -- returned open, the response closes it
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
            archive.writestr("_rels/.rels", _ROOT_RELS)
            archive.writestr(
                "xl/workbook.xml",
                _DECLARATION + f"<workbook {_NS} {_NS_R}><sheets>"
                f'<sheet name={quoteattr(_sheet_name(sheet_name))} sheetId="1" r:id="rId1"/>'
                "</sheets></workbook>",
            )
            archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
            archive.writestr("xl/styles.xml", _STYLES)
            # The size known up front lets zipfile pick plain or ZIP64 headers itself.
            info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.file_size = size
            with archive.open(info, "w") as member:
                shutil.copyfileobj(sheet, member, 1 << 20)
    spool.seek(0)
    return spool


def _sheet_name(name: str) -> str:
    """Excel's rules: at most 31 characters, none of ``[]:*?/\\``."""
    return re.sub(r"[\[\]:*?/\\]", " ", one_line(name))[:31] or "Sheet1"
