"""Reading an uploaded protocol or plan: what kind of file it really is, and its text.

Everything refused here raises ``ImportFileError`` with a message for the person who
uploaded the file; nothing is read further and nothing is saved. A file is judged by
its content, not its name: a Word document must be a ZIP holding ``word/document.xml``,
a workbook one holding ``xl/workbook.xml`` and no macros; a ZIP that would unpack to
far more than it weighs (a "zip bomb") is refused before anything is unpacked.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024  # what an Office file may unpack to
MAX_RATIO = 150  # unpacked / packed, for any part larger than a megabyte
MAX_PARTS = 5_000
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls, and encrypted Office files
KINDS = (".docx", ".xlsx", ".csv")


class ImportFileError(ValueError):
    """The file cannot be imported; the message says why, for the person uploading it."""


@dataclass
class Block:
    """A paragraph of a Word file, or a row of a table (Word, Excel or CSV)."""

    text: str = ""
    cells: list[str] | None = None  # a table row
    dates: dict[int, datetime.date] = field(default_factory=dict)  # cells holding real dates
    table: int | None = None  # which table the row belongs to


def kind_of(name: str) -> str:
    lowered = (name or "").lower().strip()
    if lowered.endswith((".xlsm", ".xltm", ".docm", ".dotm")):
        raise ImportFileError(
            _(
                "Macro-enabled files are not accepted. Save the workbook as an ordinary "
                "Excel workbook (.xlsx) and upload it again."
            )
        )
    if lowered.endswith((".doc", ".xls")):
        raise ImportFileError(
            _("This is an old Office format. Save it as .docx or .xlsx and upload it again.")
        )
    for kind in KINDS:
        if lowered.endswith(kind):
            return kind
    raise ImportFileError(
        _("Upload a Word document (.docx), an Excel workbook (.xlsx) or a CSV file.")
    )


def _check_zip(data: bytes, kind: str) -> None:
    label = {".docx": "Word (.docx)", ".xlsx": "Excel (.xlsx)"}[kind]
    if data[:8] == OLE2:
        raise ImportFileError(
            _(
                "The file is password-protected (encrypted) or in an old format. Save it "
                "without a password as %(kind)s and upload it again."
            )
            % {"kind": label}
        )
    not_kind = ImportFileError(_("The file's content is not a %(kind)s file.") % {"kind": label})
    if data[:4] != b"PK\x03\x04":
        raise not_kind
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise not_kind from None
    names = {i.filename for i in infos}
    if kind == ".docx" and "word/document.xml" not in names:
        raise not_kind
    if kind == ".xlsx" and "xl/workbook.xml" not in names:
        raise not_kind
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ImportFileError(
            _(
                "The file contains macros. Save it as an ordinary Excel workbook or Word "
                "document without macros and upload it again."
            )
        )
    total = sum(i.file_size for i in infos)
    bomb = len(infos) > MAX_PARTS or total > MAX_UNPACKED
    bomb = bomb or any(
        i.file_size > 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1)
        for i in infos
    )
    if bomb:
        raise ImportFileError(
            _("The file unpacks to far more data than a protocol holds; it is not imported.")
        )


def read_blocks(name: str, data: bytes) -> tuple[str, list[Block]]:
    """The file's kind and its paragraphs and table rows, in document order."""
    kind = kind_of(name)
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 20 MB."))
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if kind == ".csv":
        return kind, _csv_blocks(data)
    _check_zip(data, kind)
    try:
        blocks = _docx_blocks(data) if kind == ".docx" else _xlsx_blocks(data)
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 — any reader failure is a broken file to the user
        raise ImportFileError(
            _("The file could not be read; it may be damaged. Open and save it again.")
        ) from None
    return kind, blocks


def _clean(text) -> str:
    return " ".join(str(text or "").replace("\xa0", " ").split())


def _docx_blocks(data: bytes) -> list[Block]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    blocks: list[Block] = []
    table_no = 0
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = paragraph.text.replace("\xa0", " ").strip()
            if text:
                blocks.append(Block(text=text))
        elif tag == "tbl":
            table_no += 1
            for row in Table(child, document).rows:
                # A merged cell repeats in every column it spans, as in a workbook.
                cells = [
                    "\n".join(p.text.replace("\xa0", " ") for p in cell.paragraphs).strip()
                    for cell in row.cells
                ]
                blocks.append(Block(cells=cells, table=table_no))
    return blocks


def _xlsx_blocks(data: bytes) -> list[Block]:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    blocks: list[Block] = []
    for table_no, sheet in enumerate(workbook.worksheets, start=1):
        if sheet.sheet_state != "visible":
            continue
        merged: dict[tuple[int, int], tuple[int, int]] = {}
        for area in sheet.merged_cells.ranges:
            for row in range(area.min_row, area.max_row + 1):
                for col in range(area.min_col, area.max_col + 1):
                    merged[(row, col)] = (area.min_row, area.min_col)
        rows = list(sheet.iter_rows(values_only=True))
        for r, values in enumerate(rows, start=1):
            cells: list[str] = []
            dates: dict[int, datetime.date] = {}
            for c in range(1, len(values) + 1):
                # A merged cell holds its value in its top-left cell only: every cell it
                # covers reads that value (a header over two columns, a deadline shared
                # by several rows).
                top, left = merged.get((r, c), (r, c))
                row_values = rows[top - 1]
                value = row_values[left - 1] if left - 1 < len(row_values) else None
                if isinstance(value, datetime.datetime):
                    dates[c - 1] = value.date()
                    value = value.date().strftime("%d.%m.%Y")
                elif isinstance(value, datetime.date):
                    dates[c - 1] = value
                    value = value.strftime("%d.%m.%Y")
                elif isinstance(value, float) and value.is_integer():
                    value = int(value)
                cells.append(str(value).strip() if value is not None else "")
            if any(cells):
                blocks.append(Block(cells=cells, dates=dates, table=table_no))
    return blocks


def _csv_blocks(data: bytes) -> list[Block]:
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("The file's content is not a CSV file."))
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover — cp1251 decodes almost anything
        raise ImportFileError(_("The file's content is not a CSV file."))
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    blocks = []
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        cells = [c.strip() for c in row]
        if any(cells):
            blocks.append(Block(cells=cells, table=1))
    return blocks
