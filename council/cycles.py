"""Reporting cycles computed: periods, due dates, and each side's interim report.

Periods are calendar months, quarters or half-years; the report for a period is due by
the cycle's day (the 10th) of the month after it. Nothing is stored per period: a side
(a party responsible for the commitment) has reported for a period when one of its
agencies made a progress report from the period's first day to its due date.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from .models import ReportingCycle, Responsibility, StatusUpdate
from .querysets import local_today

MONTHS = {
    ReportingCycle.Period.MONTHLY: 1,
    ReportingCycle.Period.QUARTERLY: 3,
    ReportingCycle.Period.HALF_YEARLY: 6,
}

REPORTED = "reported"
DUE = "due"  # the period has ended, the due date has not passed, no report yet
OVERDUE = "overdue"
UPCOMING = "upcoming"  # the first period has not ended yet


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """The first of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    due: datetime.date

    def holds(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def accepts(self, day: datetime.date) -> bool:
        """Whether a report made on ``day`` counts for this period."""
        return self.start <= day <= self.due


def period_of(day: datetime.date, period: str, due_day: int = 10) -> Period:
    """The calendar period (month, quarter, half-year) that holds ``day``."""
    months = MONTHS[period]
    start = datetime.date(day.year, (day.month - 1) // months * months + 1, 1)
    after = _add_months(start, months)
    return Period(start, after - datetime.timedelta(days=1), after.replace(day=due_day))


def next_period(current: Period, period: str, due_day: int) -> Period:
    return period_of(current.end + datetime.timedelta(days=1), period, due_day)


def previous_period(current: Period, period: str, due_day: int) -> Period:
    return period_of(current.start - datetime.timedelta(days=1), period, due_day)


def reporting_period(cycle: ReportingCycle, today: datetime.date) -> Period | None:
    """The period whose report is owed now: the latest that has ended (its report due
    soon or overdue), or None while the cycle's first period is still running."""
    first = period_of(cycle.starts_on, cycle.period, cycle.due_day)
    current = period_of(today, cycle.period, cycle.due_day)
    if current.start <= first.start:
        return None
    return previous_period(current, cycle.period, cycle.due_day)


def first_period(cycle: ReportingCycle) -> Period:
    return period_of(cycle.starts_on, cycle.period, cycle.due_day)


@dataclass
class InterimReport:
    """One side's interim report for a cycle's period, and the current period's."""

    cycle: ReportingCycle
    party_id: int
    party_code: str
    party_name: str
    period: Period | None  # None: the first period has not ended
    state: str
    reported_on: datetime.date | None
    current: Period
    current_reported_on: datetime.date | None

    @property
    def commitment(self):
        return self.cycle.commitment

    @property
    def next_due(self) -> datetime.date:
        return self.period.due if self.state in (DUE, OVERDUE) else self.current.due

    def days_late(self, today: datetime.date | None = None) -> int:
        today = today or local_today()
        return (today - self.period.due).days if self.period else 0


def interim_reports(
    cycles: Iterable[ReportingCycle],
    today: datetime.date | None = None,
    parties: Iterable[int] | None = None,
) -> list[InterimReport]:
    """Each side's interim report for every cycle (two queries, whatever the number of
    cycles): the sides are the parties with a responsibility; ``parties`` keeps some."""
    today = today or local_today()
    cycles = list(cycles)
    if not cycles:
        return []
    wanted = set(parties) if parties is not None else None
    commitment_ids = {c.commitment_id for c in cycles}
    sides: dict[int, dict[int, tuple[str, str]]] = defaultdict(dict)
    for commitment_id, party_id, code, short, name in (
        Responsibility.objects.filter(commitment_id__in=commitment_ids)
        .order_by("commitment_id", "party__order", "party_id")
        .values_list("commitment_id", "party_id", "party__code", "party__short_name", "party__name")
    ):
        if wanted is None or party_id in wanted:
            sides[commitment_id][party_id] = (code, short or name)
    periods = {}
    earliest = today
    for cycle in cycles:
        owed = reporting_period(cycle, today)
        current = period_of(today, cycle.period, cycle.due_day)
        # While the latest period's report is not yet due, the one before it (if the
        # cycle ran then) is the latest whose due date has passed: missed, it is overdue.
        before = None
        if owed is not None and today <= owed.due:
            before = previous_period(owed, cycle.period, cycle.due_day)
            if before.start < first_period(cycle).start:
                before = None
        periods[cycle.pk] = (owed, current, before)
        earliest = min(earliest, (before or owed or current).start)
    # Each side's reports since the earliest period looked at, by local date.
    reported: dict[tuple[int, int], list[datetime.date]] = defaultdict(list)
    since = timezone.make_aware(datetime.datetime.combine(earliest, datetime.time.min))
    for commitment_id, party_id, created in StatusUpdate.objects.filter(
        commitment_id__in=commitment_ids,
        withdrawn_at__isnull=True,
        agency__isnull=False,
        created_at__gte=since,
    ).values_list("commitment_id", "agency__party_id", "created_at"):
        reported[commitment_id, party_id].append(timezone.localdate(created))
    found = []
    for cycle in cycles:
        owed, current, before = periods[cycle.pk]
        for party_id, (code, name) in sides[cycle.commitment_id].items():
            days = sorted(reported[cycle.commitment_id, party_id])
            period = owed
            if before is not None and not any(before.accepts(d) for d in days):
                period = before  # missed, and past its due date
            in_owed = [d for d in days if period and period.accepts(d)]
            in_current = [d for d in days if current.holds(d)]
            if period is None:
                state = UPCOMING
            elif in_owed:
                state = REPORTED
            elif today > period.due:
                state = OVERDUE
            else:
                state = DUE
            found.append(
                InterimReport(
                    cycle=cycle,
                    party_id=party_id,
                    party_code=code,
                    party_name=name,
                    period=period,
                    state=state,
                    reported_on=in_owed[-1] if in_owed else None,
                    current=current,
                    current_reported_on=in_current[-1] if in_current else None,
                )
            )
    return found


def active_cycles():
    return ReportingCycle.objects.filter(is_active=True)
