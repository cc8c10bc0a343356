"""Word documents for the co-chairs (ministries exchange and edit papers in Word).

Every piece of text goes in through ``heading``, ``paragraph`` or ``add_row``, which pass
it through ``text.xml_safe``: python-docx refuses (with ValueError, a 500) a string with
a control character, and Word pastes a vertical tab for each manual line break.
"""

from __future__ import annotations

import io

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Commitment, Session
from .text import xml_safe


def session_document(title: str, session: Session, *, landscape: bool = False):
    """A document headed ``title`` and the session's council, number and date."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    document = Document()
    if landscape:
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
        for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, margin, Cm(1.5))
    document.styles["Normal"].font.size = Pt(10)
    heading(document, title, level=1)
    paragraph(
        document,
        _("%(council)s, session %(number)s — %(date)s")
        % {
            "council": session.council.name,
            "number": session.number,
            "date": date_format(session.start_date, "DATE_FORMAT"),
        },
    )
    return document


def add_table(document, headers: list[str]):
    """A bordered table whose first row is ``headers`` in bold."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = xml_safe(header)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    return table


def heading(document, text, *, level: int):
    return document.add_heading(xml_safe(text), level=level)


def paragraph(document, text):
    return document.add_paragraph(xml_safe(text))


def add_row(table, values) -> None:
    """A row of ``values``, one per column; a line feed in a value is a line break."""
    for cell, value in zip(table.add_row().cells, values, strict=True):
        cell.text = xml_safe(value)


def responsible_lines(commitment: Commitment) -> str:
    return "\n".join(
        f"{r.agency.name} ({r.get_role_display()})" for r in commitment.responsibilities.all()
    )


def deadline_label(commitment: Commitment) -> str:
    if commitment.deadline:
        return date_format(commitment.deadline, "SHORT_DATE_FORMAT")
    return str(commitment.get_deadline_kind_display())


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
