"""Exports of a filtered commitment list (XLSX, CSV) and of a session's decisions (Word).

Both list formats stream: rows are read in chunks and written out as they come, so
memory stays flat however long the list is. Cells that a spreadsheet would run as a
formula are neutralised.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from . import documents
from .models import Commitment, Session

CHUNK = 2000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text a spreadsheet would evaluate (=, +, -, @, tab, CR first) gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def headers() -> list[str]:
    return [
        _("Council"),
        _("Session"),
        _("Session date"),
        _("Clause"),
        _("Title"),
        _("Text"),
        _("Sector"),
        _("Lead executors"),
        _("Co-executors"),
        _("Deadline"),
        _("Deadline kind"),
        _("Status"),
        _("Overdue"),
        _("Under monitoring"),
        _("Link"),
    ]


def rows(commitments: QuerySet[Commitment], site_url: str) -> Iterator[list]:
    """One list per commitment, in the order of ``headers()``; dates stay dates."""
    today = timezone.localdate()
    for commitment in commitments.iterator(chunk_size=CHUNK):
        leads, co = [], []
        for r in commitment.responsibilities.all():
            (leads if r.role == r.Role.LEAD else co).append(str(r.agency))
        yield [
            commitment.session.council.short_name,
            commitment.session.number,
            commitment.session.start_date,
            commitment.clause,
            commitment.title,
            commitment.text,
            commitment.sector.name if commitment.sector else "",
            "; ".join(leads),
            "; ".join(co),
            commitment.deadline,
            str(commitment.get_deadline_kind_display()),
            str(commitment.get_status_display()),
            _("yes") if commitment.is_overdue(today) else _("no"),
            _("yes") if commitment.is_monitored else _("no"),
            site_url.rstrip("/") + commitment.get_absolute_url(),
        ]


class _Echo:
    def write(self, value):
        return value


def csv_stream(commitments: QuerySet[Commitment], site_url: str) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so Excel opens UTF-8 (Cyrillic) correctly
    yield writer.writerow(headers())
    for row in rows(commitments, site_url):
        yield writer.writerow(
            [
                value.isoformat() if isinstance(value, datetime.date) else neutralise(value)
                for value in row
            ]
        )


def xlsx_file(commitments: QuerySet[Commitment], site_url: str):
    """Write the workbook in openpyxl's write-only mode to a temporary file, then stream it."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Commitments")[:31])
    sheet.freeze_panes = "A2"
    header_cells = []
    for title in headers():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows(commitments, site_url):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=neutralise(value))
            if isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 -- the response streams and closes it
    workbook.save(spool)
    spool.seek(0)
    return spool


def decisions_docx(session: Session) -> bytes:
    """The protocol annex: every clause adopted at ``session`` with its agencies and deadline."""
    document = documents.session_document(_("Decisions of the session"), session)
    commitments = session.commitments.for_list().order_by("pk")
    table = documents.add_table(document, [_("Clause"), _("Text"), _("Responsible"), _("Deadline")])
    for commitment in commitments:
        cells = table.add_row().cells
        cells[0].text = commitment.clause or "—"
        cells[1].text = f"{commitment.title}\n{commitment.text}"
        cells[2].text = documents.responsible_lines(commitment)
        cells[3].text = documents.deadline_label(commitment)
    if not commitments:
        document.add_paragraph(_("No commitments recorded for this session."))
    return documents.to_bytes(document)
