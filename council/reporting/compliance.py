"""Compliance scores after the G20 Research Group's method: each party's side of each
commitment scored +1 (full compliance), 0 (partial: work in progress) or −1 (no
compliance: not started, nothing reported), at an interim assessment (a review before the
deadline) or a final one (a review after it, or one that closed the commitment).

A party's percentage is ``(average score + 1) / 2 × 100``: +1 on every side is 100 %,
−1 on every side 0 %, all partial 50 %.

Everything here is an SQL expression or one aggregate query, so a page's queries do not
grow with the number of commitments. The service ``compliance_assess_session`` records
what ``assessments(session)`` derives; the page (``overview``) reads the latest recorded
score of each side and, for a side no session has assessed yet, derives it on the fly
from today's status (an interim figure, shown as such).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from ..models import (
    Agency,
    Commitment,
    CommitmentSide,
    ComplianceScore,
    ComplianceTally,
    Council,
    Party,
    Responsibility,
    Review,
    Sector,
    Session,
)
from .review import reviewed_commitments

S = Commitment.Status
D = Review.Decision
FULL, PARTIAL, NONE = 1, 0, -1
# How a side no session has assessed yet is labelled (next to "interim" and "final").
LIVE = "live"


def side_status(prefix: str = ""):
    """The status of a side (a commitment and one of its responsible parties), as an
    expression on a ``Responsibility`` row (``prefix`` leads to one): the side's own
    status, except where the council decided for the whole commitment (completed,
    cancelled or replaced), which every side shares."""
    side = CommitmentSide.objects.filter(
        commitment=OuterRef(f"{prefix}commitment_id"), party=OuterRef(f"{prefix}party_id")
    ).values("status")[:1]
    whole = F(f"{prefix}commitment__status")
    return Case(
        When(
            Q(**{f"{prefix}commitment__status__in": [S.COMPLETED, S.CANCELLED, S.SUPERSEDED]}),
            then=whole,
        ),
        default=Coalesce(Subquery(side), whole),
        output_field=CharField(),
    )


def score_expression(status, decision=None) -> Case:
    """The derived score of a side: +1 when the session decided the commitment completed
    or the side is completed; 0 when work is in progress or completion is reported but
    not yet accepted; −1 when not started. A cancelled or replaced commitment gets no
    score (NULL): the council withdrew it, and a replacement is scored in its place."""
    whens = []
    if decision is not None:
        whens.append(When(Q(**{f"{decision}": D.COMPLETED}), then=Value(FULL)))
    whens += [
        When(Q(**{status: S.COMPLETED}), then=Value(FULL)),
        When(Q(**{f"{status}__in": [S.IN_PROGRESS, S.COMPLETION_REPORTED]}), then=Value(PARTIAL)),
        When(Q(**{status: S.NOT_STARTED}), then=Value(NONE)),
    ]
    return Case(*whens, default=Value(None), output_field=IntegerField())


def one_row_per_side(responsibilities: QuerySet[Responsibility]) -> QuerySet[Responsibility]:
    """One ``Responsibility`` row for each (commitment, party): a party with two agencies
    on a commitment has one side, scored once."""
    earlier = Responsibility.objects.filter(
        commitment=OuterRef("commitment_id"), party=OuterRef("party_id"), pk__lt=OuterRef("pk")
    )
    return responsibilities.filter(~Exists(earlier))


def assessments(session: Session) -> list[tuple[int, int, str, int]]:
    """What ``session``'s review derives, one query: (commitment id, party id, kind,
    score) for each side of each commitment it reviews that gets a score.

    The assessment is final when the commitment's dated deadline had passed by the
    session (or it was due by this session), or the session's decision closed it;
    interim otherwise (an ongoing commitment, or a deadline still ahead)."""
    decision = Review.objects.filter(commitment=OuterRef("commitment_id"), session=session)
    reviewed = reviewed_commitments(session).order_by().values("pk")
    rows = (
        one_row_per_side(Responsibility.objects.filter(commitment__in=reviewed))
        .annotate(
            decision_here=Subquery(decision.values("decision")[:1]),
            status_here=side_status(),
        )
        .annotate(
            derived=score_expression("status_here", "decision_here"),
            final=Case(
                When(
                    Q(decision_here__in=[D.COMPLETED, D.CANCEL, D.REPLACE])
                    | Q(commitment__deadline_kind=Commitment.DeadlineKind.NEXT_SESSION)
                    | Q(commitment__deadline__lte=session.start_date),
                    then=Value(True),
                ),
                default=Value(False),
            ),
        )
        .filter(derived__isnull=False)
        .order_by("commitment_id", "party_id")
        .values_list("commitment_id", "party_id", "final", "derived")
    )
    return [
        (
            commitment_id,
            party_id,
            ComplianceScore.Kind.FINAL if final else ComplianceScore.Kind.INTERIM,
            derived,
        )
        for commitment_id, party_id, final, derived in rows
    ]


def percent(average: float | None) -> float | None:
    """An average score (−1 to +1) as a percentage: (average + 1) / 2 × 100."""
    if average is None:
        return None
    return round((float(average) + 1) / 2 * 100, 1)


@dataclass
class Cell:
    """One party's figure in one row of a table: the percentage and what it is made of."""

    percent: float | None = None
    sides: int = 0
    final: int = 0
    interim: int = 0
    live: int = 0


@dataclass
class Row:
    key: int | None
    label: str
    cells: dict[int, Cell] = field(default_factory=dict)
    party: Party | None = None  # the agency's party, in the table by agency
    date: object = None  # the session's first day, in the table by session
    ordered: list[Cell | None] = field(default_factory=list)  # one per party, in order


@dataclass
class Overview:
    parties: list[Party]
    by_session: list[Row]
    by_sector: list[Row]
    by_agency: list[Row]
    computed_at: datetime.datetime | None = None  # added up earlier (a tally), not now


def _sides(councils) -> QuerySet[Responsibility]:
    """Every responsibility of the commitments of ``councils`` (a list or a query) with
    its side's current score: the latest recorded one (the secretariat's when it set
    one), else derived today."""
    latest = ComplianceScore.objects.filter(
        commitment=OuterRef("commitment_id"), party=OuterRef("party_id")
    ).order_by("-session__number")
    return (
        Responsibility.objects.filter(commitment__council__in=councils)
        .annotate(status_now=side_status())
        .annotate(
            score=Coalesce(
                Subquery(latest.annotate(s=Coalesce("override", "derived")).values("s")[:1]),
                score_expression("status_now"),
                output_field=IntegerField(),
            ),
            kind=Coalesce(Subquery(latest.values("kind")[:1]), Value(LIVE)),
        )
        .order_by()
    )


# Where each kind of score is counted in a party's [total, sides, final, interim, live].
_KIND_SLOTS = {ComplianceScore.Kind.FINAL: 2, ComplianceScore.Kind.INTERIM: 3, LIVE: 4}


def _add(total: list[int], score: int | None, kind: str) -> None:
    """Add one side's score to a party's [total, sides, final, interim, live]."""
    if score is None:  # a cancelled or replaced commitment: no score
        return
    total[0] += score
    total[1] += 1
    slot = _KIND_SLOTS.get(kind)
    if slot:
        total[slot] += 1


def sums(council: Council) -> dict[str, dict[str, dict[str, list[int]]]]:
    """The council's scores added up by session, by sector (one row per side: each
    side's first responsibility) and by agency (every responsibility): {"session" |
    "sector" | "agency": {key id ("" for none): {party id: [total, sides, final,
    interim, live]}}}, as JSON keeps it (``ComplianceTally``). One query, read once:
    grouping it three times in the database ran the score's subqueries three times and
    joined every responsibility row to find each side's first (19 s for a council at a
    million commitments)."""
    return dict(sums_by_council([council.pk])).get(council.pk, _empty())


def _empty() -> dict:
    return {"session": {}, "sector": {}, "agency": {}}


def sums_by_council(council_ids):
    """(council id, ``sums``) of each council of ``council_ids`` that has a responsibility,
    by council id, from one query read in council order: the scan adds up every council
    in one pass over the tables instead of one per council (42 s for 40 councils at a
    million), keeping one council's sides in memory at a time."""
    council_ids = list(council_ids)
    in_order = ["commitment__council_id"] if len(council_ids) > 1 else []
    rows = (
        _sides(council_ids)
        .order_by(*in_order)
        .values_list(
            "commitment__council_id",
            "pk",
            "commitment_id",
            "party_id",
            "agency_id",
            "commitment__session_id",
            "commitment__sector_id",
            "score",
            "kind",
        )
    )
    current, found, first = None, _empty(), {}
    for (
        council_id,
        pk,
        commitment_id,
        party_id,
        agency_id,
        session_id,
        sector_id,
        score,
        kind,
    ) in rows.iterator(chunk_size=20_000):
        if council_id != current:
            if current is not None:
                yield current, _by_side(found, first)
            current, found, first = council_id, _empty(), {}
        agency = found["agency"].setdefault(str(agency_id), {})
        _add(agency.setdefault(str(party_id), [0] * 5), score, kind)
        seen = first.get((commitment_id, party_id))
        if seen is None or pk < seen[0]:
            first[commitment_id, party_id] = (pk, session_id, sector_id, score, kind)
    if current is not None:
        yield current, _by_side(found, first)


def _by_side(found: dict, first: dict) -> dict:
    """``found`` with each side's first responsibility added up by session and sector."""
    for (_commitment_id, party_id), (_pk, session_id, sector_id, score, kind) in first.items():
        for name, key in (("session", session_id), ("sector", sector_id)):
            parties = found[name].setdefault("" if key is None else str(key), {})
            _add(parties.setdefault(str(party_id), [0] * 5), score, kind)
    return found


def _tables(found: dict) -> tuple[dict, dict, dict]:
    """``sums`` as the overview's tables: {key id or None: {party id: Cell}}, without
    the parties (and keys) that have no scored side."""

    def cells(name: str) -> dict[int | None, dict[int, Cell]]:
        table = {}
        for key, parties in found.get(name, {}).items():
            row = {
                int(party): Cell(
                    percent=percent(total / sides),
                    sides=sides,
                    final=final,
                    interim=interim,
                    live=live,
                )
                for party, (total, sides, final, interim, live) in parties.items()
                if sides
            }
            if row:
                table[int(key) if key else None] = row
        return table

    return cells("session"), cells("sector"), cells("agency")


def _council_sums(council: Council) -> tuple[dict, datetime.datetime | None]:
    """The council's ``sums``: added up now on an archive of ordinary size; on a large
    one (see ``council.reporting.figures.archive_is_large``) its tally, added up again
    now if missing or older than twice ``REPORT_CACHE_SECONDS`` (no scan ran)."""
    from .figures import archive_is_large, tally_fresh_after

    if not archive_is_large():
        return sums(council), None
    from ..services.reports import compliance_tallies_refresh

    fresh = ComplianceTally.objects.filter(council=council, computed_at__gte=tally_fresh_after())
    tally = fresh.first()
    if tally is None:
        (tally,) = compliance_tallies_refresh(council_ids=[council.pk])
    return tally.sums, tally.computed_at


def overview(council: Council) -> Overview:
    """The council's figures per party: by the session that adopted the commitments, by
    sector and by responsible agency. Five queries, whatever the number of commitments."""
    parties = list(council.parties.order_by("order", "name"))
    found, computed_at = _council_sums(council)
    by_session, by_sector, by_agency = _tables(found)
    sessions = Session.objects.filter(pk__in=[k for k in by_session if k]).order_by("number")
    sectors = Sector.objects.filter(pk__in=[k for k in by_sector if k])
    agencies = Agency.objects.filter(pk__in=[k for k in by_agency if k]).select_related("party")
    party_order = {party.pk: index for index, party in enumerate(parties)}
    agency_rows = sorted(
        (Row(a.pk, str(a), by_agency[a.pk], party=a.party) for a in agencies),
        key=lambda row: (party_order.get(row.party.pk, 99), row.label),
    )
    sector_rows = sorted(
        (Row(s.pk, str(s), by_sector[s.pk]) for s in sectors), key=lambda row: row.label
    )
    if None in by_sector:
        sector_rows.append(Row(None, "", by_sector[None]))
    session_rows = [Row(s.pk, str(s.number), by_session[s.pk], date=s.start_date) for s in sessions]
    for row in (*session_rows, *sector_rows, *agency_rows):
        row.ordered = [row.cells.get(party.pk) for party in parties]
    return Overview(
        parties=parties,
        by_session=session_rows,
        by_sector=sector_rows,
        by_agency=agency_rows,
        computed_at=computed_at,
    )


def scores(council: Council) -> QuerySet[ComplianceScore]:
    """The recorded scores of ``council``'s commitments, as the table of scores lists them."""
    return (
        ComplianceScore.objects.filter(commitment__council=council)
        .select_related("commitment", "party", "session", "overridden_by")
        .order_by(
            "commitment__session__number", "commitment__clause", "commitment_id", "party__order"
        )
    )
