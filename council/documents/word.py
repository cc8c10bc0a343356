"""Word documents for the co-chairs (ministries exchange and edit papers in Word): the
session's decisions annex and the review of implementation, built by one set of helpers.

Every piece of text goes in through ``heading``, ``paragraph`` or ``add_row``, which pass
it through ``text.xml_safe``: python-docx refuses (with ValueError, a 500) a string with
a control character, and Word pastes a vertical tab for each manual line break.

Both print in one language, the reader's by default or the one asked for (``?lang=kk``):
the headings in it and each clause in its version in that language where one is
recorded, else as recorded, marked "(text in the original language)". The decisions annex
can also set the clause's texts side by side (``?lang=ru&beside=kk,ky``), a column per
language, as a protocol signed in several equally authentic languages is laid out.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import Commitment, Session
from ..reporting import review
from ..text import xml_safe
from ..versions import normalise, prefetch_versions, reader_language, shown_version


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


def clause_text(commitment: Commitment, language: str) -> str:
    """The clause's title and text in ``language`` where recorded, else as recorded with
    a mark saying so (in the document's language)."""
    shown = shown_version(commitment, language)
    text = f"{shown.title}\n{shown.text}"
    if shown.is_fallback:
        text += "\n" + _("(text in the original language)")
    elif shown.is_translation:
        text += "\n" + _("(translation)")
    return text


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def text_languages(language: str, beside: str | list[str] | None) -> list[str]:
    """``language`` first, then each of ``beside`` (codes, or one comma-separated string)
    that is one of ours and not already there."""
    if isinstance(beside, str):
        beside = [beside]
    chosen = [language]
    for code in (normalise(part) for item in beside or [] for part in item.split(",")):
        if code and code not in chosen:
            chosen.append(code)
    return chosen


def decisions_docx(
    session: Session, language: str | None = None, beside: str | list[str] | None = None
) -> bytes:
    """The protocol annex: every clause adopted at ``session`` with its agencies and
    deadline, in ``language`` (the active language by default), with its texts in the
    ``beside`` languages in columns of their own."""
    language = reader_language(language)
    with translation.override(language):
        return _decisions_docx(session, text_languages(language, beside))


def _decisions_docx(session: Session, languages: list[str]) -> bytes:
    names = dict(settings.LANGUAGES)
    several = len(languages) > 1
    document = session_document(_("Decisions of the session"), session, landscape=several)
    commitments = prefetch_versions(session.commitments.for_list().order_by("pk"))
    text_headers = (
        [_("Text (%(language)s)") % {"language": names[code]} for code in languages]
        if several
        else [_("Text")]
    )
    table = add_table(document, [_("Clause"), *text_headers, _("Responsible"), _("Deadline")])
    for commitment in commitments:
        add_row(
            table,
            [
                commitment.clause or "—",
                *(clause_text(commitment, code) for code in languages),
                responsible_lines(commitment),
                deadline_label(commitment),
            ],
        )
    if not commitments:
        paragraph(document, _("No commitments recorded for this session."))
    return to_bytes(document)


def review_docx(
    session: Session, groups: list[review.Group], by: str, language: str | None = None
) -> bytes:
    """The review as a Word document for the co-chairs, in ``language`` (the active
    language by default)."""
    language = reader_language(language)
    with translation.override(language):
        return _review_docx(session, groups, language)


def _review_docx(session: Session, groups: list[review.Group], language: str) -> bytes:
    prefetch_versions(commitment for group in groups for commitment in group.rows)
    document = session_document(
        _("Review of the implementation of earlier commitments"), session, landscape=True
    )
    paragraph(
        document,
        _("Prepared on %(date)s.") % {"date": date_format(timezone.localdate(), "DATE_FORMAT")},
    )
    headers = [
        _("No."),
        _("Adopted at"),
        _("Commitment"),
        _("Responsible"),
        _("Deadline"),
        _("Status and latest report"),
        _("Decision of the session"),
    ]
    number = 0
    for group in groups:
        heading(
            document,
            f"{group.title} — {group.subtitle}" if group.subtitle else group.title,
            level=2,
        )
        table = add_table(document, headers)
        for commitment in group.rows:
            number += 1
            status = commitment.get_status_display()
            if commitment.overdue:
                status += " — " + _("overdue")
            if sides := review.sides_text(commitment):
                status += "\n" + sides
            if commitment.latest_note:
                status += "\n" + commitment.latest_note
            add_row(
                table,
                [
                    str(number),
                    _("Session %(n)s, clause %(clause)s")
                    % {"n": commitment.session.number, "clause": commitment.clause or "—"},
                    clause_text(commitment, language),
                    responsible_lines(commitment),
                    deadline_label(commitment),
                    status,
                    review.decision_label(commitment.decision),
                ],
            )
    if number == 0:
        paragraph(document, _("No commitment of earlier sessions is under monitoring."))
    return to_bytes(document)
