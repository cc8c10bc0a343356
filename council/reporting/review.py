"""The implementation review: what a session reviews, grouped the way a secretariat
presents it (``documents.word.review_docx`` writes it as a Word document).

A big council's session reviews thousands of commitments, so the page never loads them
all: the summary and the group index are aggregates, and the rows come a page at a time
(ids and group keys first, then the full rows of that page only). The print view and
the Word document take every row, in chunks, with a fixed number of queries per chunk.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import models
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .. import querysets
from ..models import (
    SILENCE_DAYS,
    Commitment,
    CommitmentSide,
    Responsibility,
    Review,
    Session,
    StatusUpdate,
    stale_parties_by_commitment,
)

BY_SECTOR = "sector"
BY_AGENCY = "agency"
# The group filter's value for rows with no sector, or no agency named.
NO_GROUP = "none"
PAGE_SIZE = 50
# Rows the print view and the Word document load per round of queries.
CHUNK_SIZE = 500


class AnyOf(models.Expression):
    """``lhs IN (subquery)``, written ``lhs = ANY(ARRAY(subquery))`` on PostgreSQL.

    There the subquery runs once, before the scan, and its result is an index condition:
    two of them joined by OR become a BitmapOr of two index scans. ``IN (subquery)`` under
    an OR is instead tested row by row, which scans every commitment of the council.
    """

    conditional = True
    output_field = models.BooleanField()

    def __init__(self, lhs: str, queryset: QuerySet) -> None:
        super().__init__()
        self.lhs = F(lhs)
        self.subquery = Subquery(queryset)

    def get_source_expressions(self):
        return [self.lhs, self.subquery]

    def set_source_expressions(self, exprs) -> None:
        self.lhs, self.subquery = exprs

    def as_sql(self, compiler, connection):
        lhs, lhs_params = compiler.compile(self.lhs)
        subquery, sub_params = compiler.compile(self.subquery)
        return f"{lhs} IN {subquery}", (*lhs_params, *sub_params)

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = compiler.compile(self.lhs)
        subquery, sub_params = compiler.compile(self.subquery)
        return f"{lhs} = ANY(ARRAY{subquery})", (*lhs_params, *sub_params)


def reviewed_commitments(session: Session) -> QuerySet[Commitment]:
    """Commitments of the council's earlier sessions that ``session`` reviews: those still
    under monitoring, and those it already decided on (which may have left monitoring).

    ``decision_here`` is this session's decision, joined (LEFT) where a query uses it.
    The monitored ones are found through ``commitment_monitored_session_idx``; the decided
    ones through the review's session (``Review`` only records decisions of a later
    session of the same council).
    """
    earlier = Session.objects.filter(council=session.council_id, number__lt=session.number)
    decided = Review.objects.filter(session=session).order_by().values("commitment_id")
    return Commitment.objects.annotate(
        decision_here=FilteredRelation("reviews", condition=Q(reviews__session=session))
    ).filter(
        (Q(is_monitored=True) & AnyOf("session_id", earlier.order_by().values("pk")))
        | AnyOf("pk", decided)
    )


overdue_q = querysets.overdue_q


def summary(session: Session) -> dict[str, int]:
    """Totals of the whole review in one aggregate query: total, decided, undecided,
    overdue and one count per status (keyed by the status value)."""
    counts = reviewed_commitments(session).aggregate(
        total=Count("pk"),
        decided=Count("decision_here"),
        overdue=Count("pk", filter=overdue_q()),
        **{
            f"status_{status}": Count("pk", filter=Q(status=status))
            for status in Commitment.Status.values
        },
    )
    counts["undecided"] = counts["total"] - counts["decided"]
    return counts


def status_counts(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(status, label, count) of the statuses present in a summary, in workflow order."""
    return [
        (status, label, counts[f"status_{status}"])
        for status, label in Commitment.Status.choices
        if counts.get(f"status_{status}")
    ]


def rows(session: Session, by: str) -> QuerySet[Commitment]:
    """The review's rows annotated with their group: ``group_id`` (sector or agency id,
    NULL for none), ``group_order``, ``group_title`` and ``group_subtitle``, the names in
    the active language (with django-modeltranslation's fallback).

    By agency a row is a (commitment, agency) pair: every lead agency of the commitment,
    or all its agencies when none is lead, or one row with no agency when none is named.
    So a commitment with two lead agencies is listed under each.
    """
    queryset = reviewed_commitments(session)
    if by == BY_AGENCY:
        leads = Responsibility.objects.filter(
            commitment=OuterRef("pk"), role=Responsibility.Role.LEAD
        )
        # One filter() call, then annotate(): the annotations reuse the filter's join
        # (a LEFT JOIN, since the OR also keeps commitments with no agency at all).
        # The join's own condition repeats which commitments: PostgreSQL then reads their
        # responsibilities through the commitment index instead of scanning them all.
        reviewed = reviewed_commitments(session).order_by().values("pk")
        return (
            queryset.annotate(
                agency_row=FilteredRelation(
                    "responsibilities",
                    condition=Q(AnyOf("responsibilities__commitment_id", reviewed)),
                )
            )
            .filter(Q(agency_row__role=Responsibility.Role.LEAD) | ~Exists(leads))
            .annotate(
                group_id=F("agency_row__agency_id"),
                group_order=F("agency_row__party__order"),
                group_title=querysets.name_expression("agency_row__party__name"),
                group_subtitle=querysets.name_expression("agency_row__agency__name"),
            )
        )
    return queryset.annotate(
        group_id=F("sector_id"),
        group_order=F("sector__order"),
        group_title=querysets.name_expression("sector__name"),
        group_subtitle=Value(""),
    )


GROUP_ORDER = (F("group_order").asc(nulls_last=True), "group_title", "group_subtitle")


def filtered(queryset: QuerySet[Commitment], *, group: str = "", undecided: bool = False):
    if group == NO_GROUP:
        queryset = queryset.filter(group_id__isnull=True)
    elif group:
        queryset = queryset.filter(group_id=group)
    if undecided:
        queryset = queryset.filter(decision_here__isnull=True)
    return queryset


def ordered(queryset: QuerySet[Commitment]) -> QuerySet[Commitment]:
    """Group, then the session that adopted it, then record order."""
    return queryset.order_by(*GROUP_ORDER, "session__number", "pk")


@dataclass
class GroupCount:
    key: str
    title: str
    subtitle: str
    total: int
    decided: int

    @property
    def undecided(self) -> int:
        return self.total - self.decided


def group_index(session: Session, by: str) -> list[GroupCount]:
    """Every group of the review with its counts, in page order: one GROUP BY query."""
    no_title = _("No agency named") if by == BY_AGENCY else _("Other")
    groups = (
        rows(session, by)
        .values("group_id", "group_order", "group_title", "group_subtitle")
        .annotate(total=Count("pk"), decided=Count("decision_here"))
        .order_by(*GROUP_ORDER)
    )
    return [
        GroupCount(
            key=NO_GROUP if g["group_id"] is None else str(g["group_id"]),
            title=g["group_title"] or no_title,
            subtitle=g["group_subtitle"] or "",
            total=g["total"],
            decided=g["decided"],
        )
        for g in groups
    ]


@dataclass
class Group:
    title: str
    subtitle: str = ""
    rows: list[Commitment] = field(default_factory=list)
    continued: bool = False


@dataclass(frozen=True)
class Item:
    """One row of the list before it is loaded: which commitment, under which group."""

    pk: int
    group_key: str
    title: str
    subtitle: str


def items(queryset: QuerySet[Commitment], by: str) -> QuerySet:
    """The narrow form of ``ordered(queryset)``: what a page needs to pick its rows."""
    return ordered(queryset).values_list("pk", "group_id", "group_title", "group_subtitle")


def as_item(values: tuple, by: str) -> Item:
    pk, group_id, title, subtitle = values
    if group_id is None:
        return Item(pk, NO_GROUP, _("No agency named") if by == BY_AGENCY else _("Other"), "")
    return Item(pk, str(group_id), title, subtitle or "")


def load(session: Session, pks: Iterable[int]) -> dict[int, Commitment]:
    """The full rows of ``pks`` with what the table shows: a fixed number of queries
    whatever their number (the rows, their agencies, this session's decisions, their
    latest reports, their sides, their stale sides; the sides at risk come with the rows).
    """
    pks = list(pks)
    commitments = (
        Commitment.objects.filter(pk__in=pks)
        .for_list()
        .with_overdue_flag()
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.filter(session=session).select_related(
                    "replacement", "decided_by"
                ),
                to_attr="decisions_here",
            )
        )
    )
    latest = latest_reports(pks)
    sides = review_sides(pks)
    stale = stale_parties_by_commitment(pks)
    loaded = {}
    for commitment in commitments:
        commitment.decision = commitment.decisions_here[0] if commitment.decisions_here else None
        commitment.latest_note, commitment.latest_at = latest.get(commitment.pk, ("", None))
        commitment.review_sides = sides.get(commitment.pk, [])
        commitment.stale_parties = stale.get(commitment.pk, [])
        loaded[commitment.pk] = commitment
    return loaded


@dataclass(frozen=True)
class SideRow:
    """One party's side as the review shows it, next to the other's."""

    party: str
    status: str
    label: str
    flagged: bool

    @property
    def text(self) -> str:
        text = f"{self.party}: {self.label}"
        if self.flagged:
            text += " — " + flag_text()
        return text


def flag_text() -> str:
    return _("reported while another side has been silent for %(days)s days or more") % {
        "days": SILENCE_DAYS
    }


def review_sides(pks: list[int]) -> dict[int, list[SideRow]]:
    """The sides of the commitments ``pks`` that have several, in party order, each with
    its status and the silence flag (``CommitmentSide.objects.flagged``): one query."""
    if not pks:
        return {}
    flagged = CommitmentSide.objects.flagged().filter(pk=OuterRef("pk"))
    rows = querysets.localized_values(
        CommitmentSide.objects.filter(commitment__in=pks, is_responsible=True)
        .annotate(is_flagged=Exists(flagged))
        .order_by("commitment_id", "party__order", "party_id"),
        "commitment_id",
        "status",
        "is_flagged",
        names=("party__short_name",),
    )
    labels = dict(CommitmentSide.Status.choices)
    found: dict[int, list[SideRow]] = {}
    for commitment_id, status, is_flagged, party in rows:
        found.setdefault(commitment_id, []).append(
            SideRow(party, status, str(labels[status]), is_flagged)
        )
    return {pk: sides for pk, sides in found.items() if len(sides) > 1}


def sides_text(commitment: Commitment) -> str:
    """The sides of a reviewed row as lines of text (the Word document, the print)."""
    return "\n".join(side.text for side in getattr(commitment, "review_sides", []))


def latest_reports(pks: list[int]) -> dict[int, tuple[str, object]]:
    """The latest status update of each commitment in ``pks``: (note, when). One query over
    those commitments' updates (``statusupdate_latest_idx``), ranked in SQL.

    A withdrawn report is kept in the record but is no longer what the agency reports:
    the latest one still standing is shown instead."""
    if not pks:
        return {}
    ranked = (
        StatusUpdate.objects.filter(commitment_id__in=pks, withdrawn_at__isnull=True)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("commitment_id"),
                order_by=(F("created_at").desc(), F("pk").desc()),
            )
        )
        .filter(rank=1)
        .values_list("commitment_id", "note", "created_at")
    )
    return {pk: (note, at) for pk, note, at in ranked}


def window(
    queryset: QuerySet[Commitment], by: str, sizes: list[tuple[str, int]], offset: int, limit: int
) -> tuple[list[Item], bool]:
    """The items of rows ``offset`` to ``offset + limit`` of ``ordered(queryset)``, and
    whether the first of them continues a group begun before ``offset``.

    ``sizes`` gives each group's number of rows, in order (from the group index), so the
    query reads only the groups this page touches and skips only within the first.
    """
    start, keys, first_start = 0, [], None
    for key, size in sizes:
        if start + size > offset and start < offset + limit and size:
            keys.append(key)
            first_start = start if first_start is None else first_start
        start += size
    if not keys:
        return [], False
    touched = Q(group_id__in=[key for key in keys if key != NO_GROUP])
    if NO_GROUP in keys:
        touched |= Q(group_id__isnull=True)
    skip = offset - first_start
    values = items(queryset.filter(touched), by)[skip : skip + limit]
    return [as_item(v, by) for v in values], first_start < offset


def page_groups(session: Session, page_items: list[Item], *, continued: bool) -> list[Group]:
    """The rows of one page under their group headings; ``continued`` marks the first
    heading when its group began on an earlier page."""
    loaded = load(session, {item.pk for item in page_items})
    groups: list[Group] = []
    for _key, members in itertools.groupby(page_items, key=lambda item: item.group_key):
        members = list(members)
        group = Group(title=members[0].title, subtitle=members[0].subtitle)
        group.rows = [loaded[item.pk] for item in members if item.pk in loaded]
        groups.append(group)
    if groups and continued:
        groups[0].continued = True
    return groups


def all_groups(session: Session, by: str) -> list[Group]:
    """The whole review, grouped, for the print view and the Word document: the ordered
    ids in one query, then the rows loaded ``CHUNK_SIZE`` at a time."""
    every = [as_item(values, by) for values in items(rows(session, by), by)]
    groups: list[Group] = []
    current_key = None
    for chunk in _chunks(every, CHUNK_SIZE):
        loaded = load(session, {item.pk for item in chunk})
        for item in chunk:
            if item.group_key != current_key:
                groups.append(Group(title=item.title, subtitle=item.subtitle))
                current_key = item.group_key
            if item.pk in loaded:
                groups[-1].rows.append(loaded[item.pk])
    return groups


def _chunks(sequence: list, size: int) -> Iterator[list]:
    for start in range(0, len(sequence), size):
        yield sequence[start : start + size]


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
