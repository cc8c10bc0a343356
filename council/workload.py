"""A dashboard's figures of "my commitments", read from the responsibility rows' copy of
their commitment on PostgreSQL (migration 0037).

At a million commitments a focal point's agency is responsible for 113,000 of them.
Counting the open ones joined every row to its commitment, and finding the stale sides
then probed the progress reports of each open one (1.0–1.4 s a dashboard). Each row
now carries its commitment's status, dated deadline, monitoring, council and adoption
day, and the newest report of its party, under two partial indexes: the figures read
the open rows of an agency, or of a council, and nothing else. SQLite, the demo's
database, counts the commitments themselves (``CommitmentQuerySet.deadline_counts``,
``council.models.nudges.stale_sides``); on PostgreSQL both ways must agree (tests).
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.utils import timezone

from .models import Commitment, CommitmentSide, Council
from .models.nudges import stale_cutoffs, stale_sides
from .querysets import local_today

OPEN = "(" + ", ".join(f"'{status}'" for status in Commitment.OPEN_STATUSES) + ")"


def available() -> bool:
    return connection.vendor == "postgresql"


def _scope(agencies, councils) -> tuple[list[str], list]:
    """Conditions on the rows ``r`` of open commitments: those of ``agencies`` (ids),
    of ``councils`` (ids); None does not narrow. The status is written out so that the
    planner matches the partial indexes."""
    where, params = [f"r.commitment_status IN {OPEN}"], []
    if agencies is not None:
        where.append("r.agency_id = ANY(%s)")
        params.append(sorted(agencies))
    if councils is not None:
        where.append("r.commitment_council_id = ANY(%s)")
        params.append(sorted(councils))
    return where, params


def _distinct(agencies) -> str:
    """What a SELECT of rows needs to name each commitment (and its side) once: nothing
    for one agency's rows (a commitment names an agency once: ``responsibility_agency_once``);
    DISTINCT for several agencies', which sorts them all (half the time of a focal point's
    counts at a million, spent on duplicates one agency cannot have)."""
    return "" if agencies is not None and len(agencies) == 1 else "DISTINCT "


def deadline_counts(policy, today: datetime.date, days: int) -> dict[str, int]:
    """Open, overdue and due-within-``days`` counts of the user's commitments, as
    ``CommitmentQuerySet.deadline_counts`` counts them. A focal point's are read from
    their agencies' rows; the others' from the commitments' own index, which serves
    them already."""
    agencies, councils = policy.my_scope()
    if agencies is None or not available():
        return policy.my_commitments().deadline_counts(today, days)
    where, params = _scope(agencies, councils)
    until = today + datetime.timedelta(days=days)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE deadline < %s), "  # noqa: S608 -- constants
            "count(*) FILTER (WHERE deadline >= %s AND deadline <= %s) "
            f"FROM (SELECT {_distinct(agencies)}r.commitment_id, r.commitment_deadline AS deadline "
            f"FROM council_responsibility r WHERE {' AND '.join(where)}) AS mine",
            [today, today, until, *params],
        )
        open_, overdue, due_soon = cursor.fetchone()
    return {"open": open_, "overdue": overdue, "due_soon": due_soon}


def due_soon_ids(policy, today: datetime.date, days: int, n: int) -> list[int]:
    """The first ``n`` of the user's open commitments due within ``days``, by deadline
    (ids). A focal point's are read from their agencies' rows (2 ms for the busiest
    agency at a million, where checking the agency of every commitment due soon in its
    25 councils took 14 ms); the others' from the commitments' own index."""
    until = today + datetime.timedelta(days=days)
    agencies, councils = policy.my_scope()
    if agencies is None or not available():
        mine = policy.my_commitments().due_within(days, today).order_by("deadline", "pk")
        return list(mine.values_list("pk", flat=True)[:n])
    where, params = _scope(agencies, councils)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT commitment_id FROM (SELECT {_distinct(agencies)}r.commitment_id, "  # noqa: S608
            "r.commitment_deadline AS deadline FROM council_responsibility r "
            f"WHERE {' AND '.join(where)} AND r.commitment_deadline BETWEEN %s AND %s) AS mine "
            "ORDER BY deadline, commitment_id LIMIT %s",
            [*params, today, until, n],
        )
        return [row[0] for row in cursor.fetchall()]


def awaiting_review_count(policy, queue) -> int:
    """How many of the user's reported completions wait for a review (``queue``, their
    ``Policy.awaiting_review``): a focal point's are read from their agencies' rows (a
    side reported while the commitment is in progress is looked up for those rows only)."""
    agencies, councils = policy.my_scope()
    if agencies is None or policy.is_manager or not available():
        # The queue holds two statuses; counted apart, each reads its own part of the
        # status index (together, the "or" filtered all of it: 100 ms at a million). The
        # commitments in progress are found from their few reported sides: the "or" in
        # the queue keeps PostgreSQL from joining them, and it filtered the 90,000 in
        # progress one by one (13 ms at a million, now 1).
        reported = CommitmentSide.objects.completion_reported().values("commitment_id")
        return (
            queue.filter(status=Commitment.Status.COMPLETION_REPORTED).count()
            + queue.filter(status=Commitment.Status.IN_PROGRESS, pk__in=reported).count()
        )
    where, params = _scope(agencies, councils)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count({_distinct(agencies)}r.commitment_id) "  # noqa: S608
            "FROM council_responsibility r "
            f"WHERE {' AND '.join(where)} AND (r.commitment_status = %s "
            "OR (r.commitment_status = %s AND EXISTS (SELECT 1 FROM council_commitmentside s "
            "WHERE s.commitment_id = r.commitment_id AND s.is_responsible AND s.status = %s)))",
            [
                *params,
                Commitment.Status.COMPLETION_REPORTED,
                Commitment.Status.IN_PROGRESS,
                CommitmentSide.Status.COMPLETION_REPORTED,
            ],
        )
        return cursor.fetchone()[0]


def stale_sides_shown(
    policy, today: datetime.date | None = None, *, agency_id: int | None = None, shown: int
) -> tuple[int, list[tuple[int, str]]]:
    """The user's stale sides (``council.models.nudges.stale_sides`` of
    ``my_commitments``; only the side of ``agency_id``'s party if given): their count,
    and the first ``shown`` as (commitment id, party code), by commitment and the
    party's order."""
    today = today or local_today()
    if not available():
        sides = stale_sides(policy.my_commitments(), today)
        if agency_id is not None:
            sides = sides.filter(party__agencies=agency_id)
        first = sides.values_list("commitment_id", "party__code").order_by(
            "commitment_id", "party__order"
        )
        return sides.count(), list(first[:shown])
    cutoffs = stale_cutoffs(Council.objects.values("pk"), today)  # tens: every council's
    if not cutoffs:
        return 0, []
    agencies, councils = policy.my_scope()
    where, params = _scope(agencies, councils)
    if agency_id is not None:
        where.append("r.party_id = (SELECT a.party_id FROM council_agency a WHERE a.id = %s)")
        params.append(agency_id)
    zone = timezone.get_current_timezone()
    values = ", ".join(["(%s::bigint, %s::date, %s::timestamptz)"] * len(cutoffs))
    cut_params = []
    for council_id, day in cutoffs.items():
        at = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
        cut_params += [council_id, day, at]
    # A side is stale when no agency of its party reported since its council's cutoff;
    # the row keeps its party's newest report.
    sides = (
        f"SELECT {_distinct(agencies)}r.commitment_id, r.party_id FROM council_responsibility r "  # noqa: S608
        f"JOIN (VALUES {values}) AS cut (council_id, day, at) "
        "ON cut.council_id = r.commitment_council_id "
        f"WHERE {' AND '.join(where)} AND r.commitment_is_monitored "
        "AND r.commitment_adopted_on < cut.day "
        "AND (r.side_reported_at IS NULL OR r.side_reported_at < cut.at)"
    )
    # The stale sides are gathered once, then counted and their first rows taken (two
    # reads gathered them twice: 34 ms for a secretariat's 24,000 at a million, now 25).
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH stale AS MATERIALIZED ({sides}) "  # noqa: S608
            "SELECT stale.commitment_id, p.code, (SELECT count(*) FROM stale) "
            "FROM stale JOIN council_party p ON p.id = stale.party_id "
            'ORDER BY stale.commitment_id, p."order" LIMIT %s',
            [*cut_params, *params, max(shown, 1)],  # a row at least, to carry the count
        )
        rows = cursor.fetchall()
    count = rows[0][2] if rows else 0
    first = [(commitment_id, code) for commitment_id, code, _count in rows[:shown]]
    return count, first
