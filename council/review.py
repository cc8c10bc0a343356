"""The implementation review: what a session reviews, grouped the way a secretariat
presents it, and the same content as a Word document for the co-chairs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import documents
from .models import Commitment, Review, Session, StatusUpdate

BY_SECTOR = "sector"
BY_AGENCY = "agency"


def reviewed_commitments(session: Session) -> QuerySet[Commitment]:
    """Commitments of the council's earlier sessions that ``session`` reviews: those still
    under monitoring, and those it already decided on. Annotated with the latest report."""
    latest = StatusUpdate.objects.filter(commitment=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        Commitment.objects.for_council(session.council)
        .filter(session__number__lt=session.number)
        .filter(Q(is_monitored=True) | Q(reviews__session=session))
        .distinct()
        .for_list()
        .with_overdue_flag()
        .annotate(
            latest_note=Subquery(latest.values("note")[:1]),
            latest_at=Subquery(latest.values("created_at")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.filter(session=session).select_related(
                    "replacement", "decided_by"
                ),
                to_attr="decisions_here",
            )
        )
        .order_by("session__number", "pk")
    )


@dataclass
class Group:
    title: str
    subtitle: str = ""
    rows: list[Commitment] = field(default_factory=list)


def grouped(commitments, by: str) -> list[Group]:
    """Group by sector, or by responsible party and lead agency (a commitment with two
    lead agencies is listed under each)."""
    groups: dict[tuple, Group] = {}
    for commitment in commitments:
        commitment.decision = commitment.decisions_here[0] if commitment.decisions_here else None
        if by == BY_AGENCY:
            leads = [r for r in commitment.responsibilities.all() if r.role == r.Role.LEAD] or list(
                commitment.responsibilities.all()
            )
            keys = [
                ((r.party.order, r.party.name, r.agency.name), r.party.name, r.agency.name)
                for r in leads
            ] or [((99, "", ""), _("No agency named"), "")]
        else:
            sector = commitment.sector
            keys = [
                (
                    (sector.order, sector.name) if sector else (999, ""),
                    sector.name if sector else _("Other"),
                    "",
                )
            ]
        for sort_key, title, subtitle in keys:
            groups.setdefault(sort_key, Group(title=title, subtitle=subtitle)).rows.append(
                commitment
            )
    return [groups[k] for k in sorted(groups)]


def summary(commitments) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for commitment in commitments:
        counts["total"] += 1
        counts["decided"] += 1 if commitment.decisions_here else 0
        counts[commitment.status] += 1
        counts["overdue"] += 1 if commitment.overdue else 0
    return dict(counts)


def as_docx(session: Session, groups: list[Group], by: str) -> bytes:
    """The review as a Word document for the co-chairs."""
    document = documents.session_document(
        _("Review of the implementation of earlier commitments"), session, landscape=True
    )
    document.add_paragraph(
        _("Prepared on %(date)s.") % {"date": date_format(timezone.localdate(), "DATE_FORMAT")}
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
        document.add_heading(
            f"{group.title} — {group.subtitle}" if group.subtitle else group.title, level=2
        )
        table = documents.add_table(document, headers)
        for commitment in group.rows:
            number += 1
            cells = table.add_row().cells
            cells[0].text = str(number)
            cells[1].text = _("Session %(n)s, clause %(clause)s") % {
                "n": commitment.session.number,
                "clause": commitment.clause or "—",
            }
            cells[2].text = f"{commitment.title}\n{commitment.text}"
            cells[3].text = documents.responsible_lines(commitment)
            cells[4].text = documents.deadline_label(commitment)
            status = commitment.get_status_display()
            if commitment.overdue:
                status += " — " + _("overdue")
            if commitment.latest_note:
                status += "\n" + commitment.latest_note
            cells[5].text = status
            cells[6].text = decision_label(commitment.decision)
    if number == 0:
        document.add_paragraph(_("No commitment of earlier sessions is under monitoring."))
    return documents.to_bytes(document)


def decision_label(decision: Review | None) -> str:
    if decision is None:
        return ""
    text = str(decision.get_decision_display())
    if decision.new_deadline:
        text += ": " + date_format(decision.new_deadline, "SHORT_DATE_FORMAT")
    if decision.replacement:
        text += ": " + str(decision.replacement)
    if decision.note:
        text += "\n" + decision.note
    return text
