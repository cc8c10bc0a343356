"""Figures for managers, computed in the database: one aggregate query per chart,
whatever the number of commitments."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    DateField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..models import Agency, Commitment, Party, Review, Session, StatusUpdate
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

    def by_party(self) -> list[Bar]:
        # Grouped by the party's id alone (a commitment may name two agencies of one
        # party, hence the distinct counts); the few parties' names are read after.
        counts = {
            row["responsibilities__party"]: row
            for row in self.commitments.filter(responsibilities__isnull=False)
            .order_by()
            .values("responsibilities__party")
            .annotate(
                open=Count("pk", filter=Q(status__in=Commitment.OPEN_STATUSES), distinct=True),
                total=Count("pk", distinct=True),
            )
        }
        parties = Party.objects.filter(pk__in=list(counts)).rewrite(False).order_by("order")
        rows = parties.values("pk", *name_columns("name"))
        return [
            Bar(
                name_of(row, "name"),
                counts[row["pk"]]["open"],
                self._url(party=row["pk"], status="open"),
                PALETTE[i],
                counts[row["pk"]]["total"],
            )
            for i, row in enumerate(rows)
        ]

    def by_agency(self, limit: int = 15) -> list[Bar]:
        # From the open commitments (the only ones counted), grouped by the agency's id
        # alone: a responsibility names a commitment and an agency once, so rows are
        # commitments. Names are read for the few agencies shown.
        counts = {
            row["responsibilities__agency"]: (row["open"], row["overdue"])
            for row in self.commitments.open()
            .filter(responsibilities__isnull=False)
            .order_by()
            .values("responsibilities__agency")
            .annotate(open=Count("pk"), overdue=Count("pk", filter=overdue_q(self.today)))
        }
        return [
            Bar(
                label,
                counts[pk][0],
                self._url(agency=pk, status="open"),
                PALETTE[0],
                total=counts[pk][1],
            )
            for pk, label in _top_agencies({pk: n for pk, (n, _o) in counts.items()}, limit)
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

    def _completed_dated(self) -> QuerySet[Commitment]:
        """Completed commitments that had a dated deadline: those "on time" is asked of."""
        return self.commitments.filter(
            status=Commitment.Status.COMPLETED, deadline_kind=Commitment.DeadlineKind.DATE
        )

    @staticmethod
    def _completions() -> QuerySet[StatusUpdate]:
        return StatusUpdate.objects.filter(
            commitment=OuterRef("pk"), to_status=Commitment.Status.COMPLETED
        )

    @classmethod
    def _after_original(cls) -> QuerySet[StatusUpdate]:
        """Completions on a day after the ORIGINAL deadline (the deadline as recorded,
        before any extension; the current one where none was dated at first)."""
        original = Coalesce(OuterRef("original_deadline"), OuterRef("deadline"))
        return cls._completions().filter(created_at__date__gt=original)

    def _on_time(self) -> QuerySet[Commitment]:
        """Those of ``_completed_dated`` last moved to completed on or before their
        original deadline (an extension does not make late work punctual): moved to
        completed at least once, and never on a day after it. Written as EXISTS / NOT
        EXISTS, which PostgreSQL runs as one semi-join and one anti-join over the status
        updates, where the latest completion read per row ran a subquery for each of a
        million rows."""
        return (
            self._completed_dated()
            .filter(Exists(self._completions()))
            .exclude(Exists(self._after_original()))
        )

    def _on_time_after_extension(self) -> QuerySet[Commitment]:
        """Completed after the original deadline but by the extended one: a semi-join
        and an anti-join again, as ``_on_time``."""
        late = self._completions().filter(created_at__date__gt=OuterRef("deadline"))
        return self._completed_dated().filter(Exists(self._after_original())).exclude(Exists(late))

    def punctuality(self) -> list[Bar]:
        """Completed commitments with a dated deadline, in three: on time (by the original
        deadline), on time only after an extension, and late (the rest). Three counts,
        each one join over the status updates."""
        total = self._completed_dated().count()
        on_time = self._on_time().count()
        extended = self._on_time_after_extension().count()
        url = self._url(status=Commitment.Status.COMPLETED)
        return [
            Bar(str(_("On time (by the original deadline)")), on_time, url, "#009E73", total),
            Bar(str(_("On time after an extension")), extended, url, "#E69F00", total),
            Bar(str(_("Late")), total - on_time - extended, url, "#D55E00", total),
        ]

    @staticmethod
    def _count_by(queryset: QuerySet, field: str) -> dict[int, int]:
        return dict(
            queryset.order_by().values(field).annotate(n=Count("*")).values_list(field, "n")
        )

    def on_time_by_session(self) -> list[Bar]:
        completed = self._count_by(self._completed_dated(), "session")
        on_time = self._count_by(self._on_time(), "session")
        rows = (
            Session.objects.filter(pk__in=list(completed))
            .order_by("start_date", "pk")
            .values("pk", "number", *name_columns("council__short_name"))
        )
        return [
            Bar(
                f"{name_of(row, 'council__short_name')} · {row['number']}",
                on_time.get(row["pk"], 0),
                self._url(session=row["pk"], status=Commitment.Status.COMPLETED),
                PALETTE[2],
                total=completed[row["pk"]],
            )
            for row in rows
        ]

    def on_time_by_agency(self, limit: int = 15) -> list[Bar]:
        # Per agency responsible (a responsibility names a commitment and an agency once,
        # so joined rows are commitments), grouped by the agency's id alone.
        agency = "responsibilities__agency"
        completed = self._count_by(
            self._completed_dated().filter(responsibilities__isnull=False), agency
        )
        on_time = self._count_by(self._on_time().filter(responsibilities__isnull=False), agency)
        return [
            Bar(
                label,
                on_time.get(pk, 0),
                self._url(agency=pk, status=Commitment.Status.COMPLETED),
                PALETTE[2],
                total=completed[pk],
            )
            for pk, label in _top_agencies(completed, limit)
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
    # Completed: on time by the original deadline, after an extension, late.
    punctuality: list[Bar] = field(default_factory=list)

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
            punctuality=report.punctuality(),
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


def _top_agencies(counts: dict[int, int], limit: int) -> list[tuple[int, str]]:
    """The ``limit`` agencies with the highest count above 0, ties in the order of their
    name (the base column, as the charts always sorted), each with its label in the
    current language (one query over the agencies, never over the commitments)."""
    ids = [pk for pk, n in counts.items() if n > 0]
    rows = (
        Agency.objects.filter(pk__in=ids)
        .rewrite(False)
        .order_by("name", "pk")
        .values("pk", "party__code", *name_columns("short_name"), *name_columns("name"))
    )
    # Names are stored per language: the label is the current language's, with fallback.
    labelled = [
        (
            row["pk"],
            Agency.label_of(name_of(row, "short_name"), name_of(row, "name"), row["party__code"]),
        )
        for row in rows
    ]
    labelled.sort(key=lambda item: -counts[item[0]])  # stable: ties keep the name order
    return labelled[:limit]
