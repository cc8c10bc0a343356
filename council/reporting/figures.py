"""Figures for managers, computed in the database: one aggregate query per chart,
whatever the number of commitments."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    DateField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..models import Agency, Commitment, Responsibility, Review, Session, StatusUpdate
from ..querysets import name_columns, name_of, overdue_q

# Okabe–Ito: distinguishable with the common colour-vision deficiencies, and in grey print.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
STATUS_COLOURS = {
    Commitment.Status.NOT_STARTED: "#999999",
    Commitment.Status.IN_PROGRESS: "#0072B2",
    Commitment.Status.COMPLETION_REPORTED: "#56B4E9",
    Commitment.Status.COMPLETED: "#009E73",
    Commitment.Status.CANCELLED: "#E69F00",
    Commitment.Status.SUPERSEDED: "#CC79A7",
}
AGE_BUCKETS = [(1, 30), (31, 90), (91, 180), (181, None)]


@dataclass
class Bar:
    label: str
    value: int
    url: str
    colour: str = PALETTE[0]
    total: int | None = None  # for rates: value out of total

    @property
    def rate(self) -> float | None:
        return round(100 * self.value / self.total, 1) if self.total else None


def list_url(**filters) -> str:
    """The commitment list filtered as a chart segment says."""
    clean = {k: v for k, v in filters.items() if v not in (None, "")}
    return reverse("council:commitment-list") + ("?" + urlencode(clean) if clean else "")


def completed_on() -> Subquery:
    """When a commitment was last moved to completed (from its status updates)."""
    return Subquery(
        StatusUpdate.objects.filter(
            commitment=OuterRef("pk"), to_status=Commitment.Status.COMPLETED
        )
        .order_by("-created_at")
        .annotate(day=TruncDate("created_at"))
        .values("day")[:1],
        output_field=DateField(),
    )


class Report:
    """The manager dashboard's figures over ``commitments`` (already limited to what the
    user may see, and to a council if one is chosen)."""

    def __init__(
        self, commitments: QuerySet[Commitment], council_id: int | None, today: datetime.date
    ):
        self.commitments = commitments
        self.council_id = council_id
        self.today = today

    def _url(self, **filters) -> str:
        return list_url(council=self.council_id, **filters)

    def by_status(self) -> list[Bar]:
        counts = dict(self.commitments.values_list("status").annotate(n=Count("pk")).order_by())
        return [
            Bar(str(label), counts.get(value, 0), self._url(status=value), STATUS_COLOURS[value])
            for value, label in Commitment.Status.choices
        ]

    def by_sector(self) -> list[Bar]:
        rows = (
            self.commitments.values("sector_id", *name_columns("sector__name"), "sector__order")
            .annotate(
                total=Count("pk"), open=Count("pk", filter=Q(status__in=Commitment.OPEN_STATUSES))
            )
            .order_by("sector__order", "sector__name")
        )
        return [
            Bar(
                name_of(row, "sector__name") or str(_("No sector")),
                row["open"],
                self._url(sector=row["sector_id"], status="open"),
                PALETTE[i % len(PALETTE)],
                total=row["total"],
            )
            for i, row in enumerate(rows)
        ]

    def _responsible(self) -> QuerySet[Responsibility]:
        return Responsibility.objects.filter(commitment__in=self.commitments.values("pk"))

    def by_party(self) -> list[Bar]:
        rows = (
            self._responsible()
            .values("party_id", *name_columns("party__name"), "party__order")
            .annotate(
                open=Count(
                    "commitment",
                    filter=Q(commitment__status__in=Commitment.OPEN_STATUSES),
                    distinct=True,
                ),
                total=Count("commitment", distinct=True),
            )
            .order_by("party__order")
        )
        return [
            Bar(
                name_of(row, "party__name"),
                row["open"],
                self._url(party=row["party_id"], status="open"),
                PALETTE[i],
                row["total"],
            )
            for i, row in enumerate(rows)
        ]

    def by_agency(self, limit: int = 15) -> list[Bar]:
        rows = (
            self._responsible()
            .values("agency_id", *_agency_name_columns(), "party__code")
            .annotate(
                open=Count(
                    "commitment",
                    filter=Q(commitment__status__in=Commitment.OPEN_STATUSES),
                    distinct=True,
                ),
                overdue=Count(
                    "commitment",
                    filter=overdue_q(self.today, prefix="commitment__"),
                    distinct=True,
                ),
            )
            .filter(open__gt=0)
            .order_by("-open", "agency__name")[:limit]
        )
        return [
            Bar(
                _agency_label(row),
                row["open"],
                self._url(agency=row["agency_id"], status="open"),
                PALETTE[0],
                total=row["overdue"],
            )
            for row in rows
        ]

    def overdue_ages(self) -> list[Bar]:
        overdue = self.commitments.overdue(self.today)
        conditions = {}
        for low, high in AGE_BUCKETS:
            latest = self.today - datetime.timedelta(days=low)
            q = Q(deadline__lte=latest)
            if high is not None:
                q &= Q(deadline__gte=self.today - datetime.timedelta(days=high))
            conditions[(low, high)] = q
        counts = overdue.aggregate(
            **{f"b{low}": Count("pk", filter=q) for (low, _high), q in conditions.items()}
        )
        bars = []
        for low, high in AGE_BUCKETS:
            label = (
                _("%(low)s–%(high)s days") % {"low": low, "high": high}
                if high
                else _("over %(n)s days") % {"n": low - 1}
            )
            after = self.today - datetime.timedelta(days=high) if high else None
            before = self.today - datetime.timedelta(days=low)
            bars.append(
                Bar(
                    str(label),
                    counts[f"b{low}"],
                    self._url(
                        status="overdue",
                        deadline_after=after.isoformat() if after else "",
                        deadline_before=before.isoformat(),
                    ),
                    "#D55E00",
                )
            )
        return bars

    def overdue_summary(self) -> dict:
        overdue = self.commitments.overdue(self.today)
        oldest = overdue.order_by("deadline").values_list("deadline", flat=True).first()
        return {
            "count": overdue.count(),
            "oldest_days": (self.today - oldest).days if oldest else None,
        }

    def _on_time(self, queryset) -> QuerySet:
        """Completed commitments with a dated deadline, and how many on time."""
        return queryset.annotate(
            on_time=Count(
                "pk",
                filter=Q(
                    status=Commitment.Status.COMPLETED,
                    deadline_kind=Commitment.DeadlineKind.DATE,
                    completed_day__lte=F("deadline"),
                ),
            ),
            completed=Count(
                "pk",
                filter=Q(
                    status=Commitment.Status.COMPLETED, deadline_kind=Commitment.DeadlineKind.DATE
                ),
            ),
        )

    def on_time_by_session(self) -> list[Bar]:
        rows = self._on_time(
            self.commitments.annotate(completed_day=completed_on()).values(
                "session_id",
                "session__number",
                *name_columns("session__council__short_name"),
                "session__start_date",
            )
        ).order_by("session__start_date", "session_id")
        return [
            Bar(
                f"{name_of(row, 'session__council__short_name')} · {row['session__number']}",
                row["on_time"],
                self._url(session=row["session_id"], status=Commitment.Status.COMPLETED),
                PALETTE[2],
                total=row["completed"],
            )
            for row in rows
            if row["completed"]
        ]

    def on_time_by_agency(self, limit: int = 15) -> list[Bar]:
        completed_day = Subquery(
            StatusUpdate.objects.filter(
                commitment=OuterRef("commitment_id"), to_status=Commitment.Status.COMPLETED
            )
            .order_by("-created_at")
            .annotate(day=TruncDate("created_at"))
            .values("day")[:1],
            output_field=DateField(),
        )
        done = Q(
            commitment__status=Commitment.Status.COMPLETED,
            commitment__deadline_kind=Commitment.DeadlineKind.DATE,
        )
        rows = (
            self._responsible()
            .annotate(completed_day=completed_day)
            .values("agency_id", *_agency_name_columns(), "party__code")
            .annotate(
                completed=Count("commitment", filter=done, distinct=True),
                on_time=Count(
                    "commitment",
                    filter=done & Q(completed_day__lte=F("commitment__deadline")),
                    distinct=True,
                ),
            )
            .filter(completed__gt=0)
            .order_by("-completed", "agency__name")[:limit]
        )
        return [
            Bar(
                _agency_label(row),
                row["on_time"],
                self._url(agency=row["agency_id"], status=Commitment.Status.COMPLETED),
                PALETTE[2],
                total=row["completed"],
            )
            for row in rows
        ]

    def trend(self) -> list[dict]:
        """Per session: adopted, completed, and carried over (kept, extended or replaced
        by a later session's review)."""
        # Grouped over the commitments once (an index-only scan of session and status),
        # not one correlated membership test per session and row: at a million
        # commitments that took minutes.
        counts = {
            row["session"]: row
            for row in self.commitments.order_by()
            .values("session")
            .annotate(
                adopted=Count("pk"),
                completed=Count("pk", filter=Q(status=Commitment.Status.COMPLETED)),
            )
        }
        carried = dict(
            Review.objects.filter(
                commitment__in=self.commitments.order_by().values("pk"),
                decision__in=[
                    Review.Decision.KEEP,
                    Review.Decision.EXTEND,
                    Review.Decision.REPLACE,
                ],
            )
            .order_by()
            .values("commitment__session")
            .annotate(n=Count("commitment", distinct=True))
            .values_list("commitment__session", "n")
        )
        rows = Session.objects.filter(pk__in=list(counts)).select_related("council")
        for row in rows:
            row.adopted = counts[row.pk]["adopted"]
            row.completed = counts[row.pk]["completed"]
            row.carried = carried.get(row.pk, 0)
        rows = sorted(rows, key=lambda row: (row.start_date, row.pk))
        return [
            {
                "session": row,
                "label": f"{row.council.short_name} · {row.number}",
                "adopted": row.adopted,
                "completed": row.completed,
                "carried": row.carried,
                "url": self._url(session=row.pk),
            }
            for row in rows
        ]


@dataclass
class Figures:
    """Everything the report page draws, computed at ``computed_at``."""

    by_status: list[Bar]
    by_sector: list[Bar]
    by_party: list[Bar]
    by_agency: list[Bar]
    overdue_ages: list[Bar]
    on_time_by_session: list[Bar]
    on_time_by_agency: list[Bar]
    overdue: dict
    trend: list[dict]
    computed_at: datetime.datetime
    cached: bool = False  # read from the cache: as of ``computed_at``, not this moment

    @classmethod
    def of(cls, report: Report, *, cached: bool = False) -> Figures:
        return cls(
            by_status=report.by_status(),
            by_sector=report.by_sector(),
            by_party=report.by_party(),
            by_agency=report.by_agency(),
            overdue_ages=report.overdue_ages(),
            on_time_by_session=report.on_time_by_session(),
            on_time_by_agency=report.on_time_by_agency(),
            overdue=report.overdue_summary(),
            trend=report.trend(),
            computed_at=timezone.now(),
            cached=cached,
        )


def figures(report: Report, *, scope: str) -> Figures:
    """The report's figures: live on an archive of ordinary size; on a large one (more
    than ``REPORT_LIVE_LIMIT`` commitments) kept in the cache for
    ``REPORT_CACHE_SECONDS`` under ``scope`` (who may see what), the council, the day and
    the language, and shown with the time they were computed.

    Aggregating the archive on every view took 2 s at 100k commitments and 20 s at a
    million; figures a few minutes old serve a manager's overview."""
    if not archive_is_large():
        return Figures.of(report)
    key = ":".join(
        ["report", scope, str(report.council_id or "all"), str(report.today), get_language()]
    )
    found = cache.get(key)
    if found is None:
        found = Figures.of(report, cached=True)
        cache.set(key, found, settings.REPORT_CACHE_SECONDS)
    return found


def archive_is_large() -> bool:
    """Whether the commitments table holds more than ``REPORT_LIVE_LIMIT`` rows, by the
    planner's estimate (PostgreSQL keeps it; no count is run). Never on other databases,
    which serve small installations."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
            [Commitment._meta.db_table],
        )
        row = cursor.fetchone()
    return bool(row) and row[0] > settings.REPORT_LIVE_LIMIT


def axis_max(values) -> int:
    top = max(values, default=0)
    return max(top, 1)


def _agency_name_columns() -> list[str]:
    # Names are stored per language: grouping by the base column alone labelled the
    # charts in English.
    return [*name_columns("agency__short_name"), *name_columns("agency__name")]


def _agency_label(row: dict) -> str:
    return Agency.label_of(
        name_of(row, "agency__short_name"), name_of(row, "agency__name"), row["party__code"]
    )
