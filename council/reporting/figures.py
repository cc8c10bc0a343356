"""Figures for managers, computed in the database: one aggregate query per chart,
whatever the number of commitments."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from functools import cached_property
from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    Min,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    Agency,
    Commitment,
    Party,
    ReportTally,
    Review,
    Sector,
    Session,
    StatusUpdate,
)
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


def list_url(*, base: str | None = None, **filters) -> str:
    """The commitment list filtered as a chart segment says (``base``: its path, when
    the caller has it: a chart of 500 sessions would reverse it 1,000 times)."""
    clean = {k: v for k, v in filters.items() if v not in (None, "")}
    base = base or reverse("council:commitment-list")
    return base + ("?" + urlencode(clean) if clean else "")


NO_SECTOR = 0  # the key of commitments without a sector in a tally (ids start at 1)


@dataclass
class Tally:
    """The report's numbers before any label: counts by status, sector, party, agency,
    session…, keyed by id. Language-free, and summable: a commitment belongs to one
    council, so the tallies of several councils add up to the tally of all of them
    (``ReportTally`` keeps one per council on a large archive)."""

    status: dict[str, int] = field(default_factory=dict)
    sector: dict[int, list[int]] = field(default_factory=dict)  # [total, open]
    party: dict[int, list[int]] = field(default_factory=dict)  # [open, total]
    agency: dict[int, list[int]] = field(default_factory=dict)  # [open, overdue]
    ages: dict[int, int] = field(default_factory=dict)  # the bucket's first day: count
    overdue: int = 0
    oldest_overdue: datetime.date | None = None
    completed_dated: int = 0
    on_time: int = 0
    on_time_extended: int = 0
    session_completed: dict[int, int] = field(default_factory=dict)
    session_on_time: dict[int, int] = field(default_factory=dict)
    agency_completed: dict[int, int] = field(default_factory=dict)
    agency_on_time: dict[int, int] = field(default_factory=dict)
    trend: dict[int, list[int]] = field(default_factory=dict)  # [adopted, completed, carried]

    def __add__(self, other: Tally) -> Tally:
        return Tally.total_of([self, other])

    @classmethod
    def total_of(cls, tallies: Iterable[Tally]) -> Tally:
        """The tallies added up in one pass (forty councils' added pairwise copied the
        running total forty times: 9 ms of the manager's reports at a million)."""
        total = cls()
        oldest = []
        for tally in tallies:
            for name in DICTS:
                into = getattr(total, name)
                for key, value in getattr(tally, name).items():
                    if not isinstance(value, list):
                        into[key] = into.get(key, 0) + value
                    elif key in into:
                        into[key] = [x + y for x, y in zip(into[key], value, strict=True)]
                    else:
                        into[key] = list(value)
            for name in NUMBERS:
                setattr(total, name, getattr(total, name) + getattr(tally, name))
            if tally.oldest_overdue:
                oldest.append(tally.oldest_overdue)
        total.oldest_overdue = min(oldest, default=None)
        return total

    def as_json(self) -> dict:
        data = asdict(self)
        data["oldest_overdue"] = self.oldest_overdue.isoformat() if self.oldest_overdue else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> Tally:
        # Only the fields this version knows: a tally kept by an older release still reads.
        values = {key: value for key, value in data.items() if key in DICTS | NUMBERS}
        for name in DICTS - {"status"}:
            values[name] = {int(key): value for key, value in data.get(name, {}).items()}
        oldest = data.get("oldest_overdue")
        values["oldest_overdue"] = datetime.date.fromisoformat(oldest) if oldest else None
        return cls(**values)


DICTS = {f.name for f in fields(Tally) if f.type.startswith("dict")}
NUMBERS = {f.name for f in fields(Tally) if f.type == "int"}


class Report:
    """The manager dashboard's figures over ``commitments`` (already limited to what the
    user may see, and to a council if one is chosen): ``tally`` counts them in the
    database, one aggregate query per figure whatever the number of commitments, and
    ``bars`` draws them."""

    def __init__(
        self, commitments: QuerySet[Commitment], council_id: int | None, today: datetime.date
    ):
        self.commitments = commitments
        self.council_id = council_id
        self.today = today

    def tally(self) -> Tally:
        """The counts over every commitment of the report."""
        return Tally.total_of(self.tallies().values())

    def tallies(self) -> dict[int, Tally]:
        """The counts of each council, in one pass: every aggregate query also groups by
        the council, so counting forty councils costs what counting them together does."""
        found: dict[int, Tally] = defaultdict(Tally)
        commitments = self.commitments.order_by()
        for council, status, n in commitments.values_list("council_id", "status").annotate(
            n=Count("pk")
        ):
            found[council].status[status] = n
        open_ = Q(status__in=Commitment.OPEN_STATUSES)
        for row in commitments.values("council_id", "sector_id").annotate(
            total=Count("pk"), open=Count("pk", filter=open_)
        ):
            found[row["council_id"]].sector[row["sector_id"] or NO_SECTOR] = [
                row["total"],
                row["open"],
            ]
        # Grouped by the party's id (a commitment may name two agencies of one party,
        # hence the distinct counts); names are read for the few parties shown.
        party = "responsibilities__party"
        for row in (
            commitments.filter(responsibilities__isnull=False)
            .values("council_id", party)
            .annotate(
                open=Count("pk", filter=open_, distinct=True), total=Count("pk", distinct=True)
            )
        ):
            found[row["council_id"]].party[row[party]] = [row["open"], row["total"]]
        # The open commitments by agency (a responsibility names a commitment and an
        # agency once, so joined rows are commitments).
        agency = "responsibilities__agency"
        for row in (
            commitments.open()
            .filter(responsibilities__isnull=False)
            .values("council_id", agency)
            .annotate(open=Count("pk"), overdue=Count("pk", filter=overdue_q(self.today)))
        ):
            found[row["council_id"]].agency[row[agency]] = [row["open"], row["overdue"]]
        buckets = {}
        for low, high in AGE_BUCKETS:
            q = Q(deadline__lte=self.today - datetime.timedelta(days=low))
            if high is not None:
                q &= Q(deadline__gte=self.today - datetime.timedelta(days=high))
            buckets[f"b{low}"] = Count("pk", filter=q)
        for row in (
            commitments.overdue(self.today)
            .values("council_id")
            .annotate(n=Count("pk"), oldest=Min("deadline"), **buckets)
        ):
            tally = found[row["council_id"]]
            tally.overdue, tally.oldest_overdue = row["n"], row["oldest"]
            tally.ages = {low: row[f"b{low}"] for low, _high in AGE_BUCKETS}
        for field_name, queryset in (
            ("completed_dated", self._completed_dated()),
            ("on_time", self._on_time()),
            ("on_time_extended", self._on_time_after_extension()),
        ):
            for council, n in self._count_by(queryset, "council_id").items():
                setattr(found[council], field_name, n)
        for field_name, queryset, key in (
            ("session_completed", self._completed_dated(), "session"),
            ("session_on_time", self._on_time(), "session"),
            (
                "agency_completed",
                self._completed_dated().filter(responsibilities__isnull=False),
                agency,
            ),
            ("agency_on_time", self._on_time().filter(responsibilities__isnull=False), agency),
        ):
            for (council, pk), n in self._count_by(queryset, "council_id", key).items():
                getattr(found[council], field_name)[pk] = n
        self._count_trend(found)
        return dict(found)

    def bars(self) -> Bars:
        """The figures drawn from a fresh tally (one at a time, as tests read them; the
        page draws them all from one tally, ``Figures.of``)."""
        return Bars(self.tally(), self.council_id, self.today)

    # The queries ------------------------------------------------------------------------

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

    @staticmethod
    def _count_by(queryset: QuerySet, *keys: str) -> dict:
        """{key (or tuple of keys): rows} of ``queryset`` grouped by ``keys``."""
        rows = queryset.order_by().values(*keys).annotate(n=Count("*")).values_list(*keys, "n")
        return {(row[0] if len(keys) == 1 else row[:-1]): row[-1] for row in rows}

    def _count_trend(self, found: dict[int, Tally]) -> None:
        """Per session: adopted, completed, and carried over (kept, extended or replaced
        by a later session's review)."""
        # Grouped over the commitments once (an index-only scan of session and status),
        # not one correlated membership test per session and row: at a million
        # commitments that took minutes.
        for row in (
            self.commitments.order_by()
            .values("council_id", "session")
            .annotate(
                adopted=Count("pk"),
                completed=Count("pk", filter=Q(status=Commitment.Status.COMPLETED)),
            )
        ):
            found[row["council_id"]].trend[row["session"]] = [row["adopted"], row["completed"], 0]
        carried = (
            Review.objects.filter(
                commitment__in=self.commitments.order_by().values("pk"),
                decision__in=[
                    Review.Decision.KEEP,
                    Review.Decision.EXTEND,
                    Review.Decision.REPLACE,
                ],
            )
            .order_by()
            .values("commitment__council_id", "commitment__session")
            .annotate(n=Count("commitment", distinct=True))
            .values_list("commitment__council_id", "commitment__session", "n")
        )
        for council, session, n in carried:
            if session in found[council].trend:
                found[council].trend[session][2] = n


class Bars:
    """The figures of a ``Tally`` as the charts draw them: labelled in the current
    language (reading only the few sectors, parties, agencies and sessions named), each
    segment linked to the filtered commitment list behind it."""

    def __init__(self, tally: Tally, council_id: int | None, today: datetime.date):
        self.tally = tally
        self.council_id = council_id
        self.today = today
        self.base = reverse("council:commitment-list")

    def _url(self, **filters) -> str:
        return list_url(base=self.base, council=self.council_id, **filters)

    def by_status(self) -> list[Bar]:
        counts = self.tally.status
        return [
            Bar(str(label), counts.get(value, 0), self._url(status=value), STATUS_COLOURS[value])
            for value, label in Commitment.Status.choices
        ]

    def by_sector(self) -> list[Bar]:
        counts = self.tally.sector
        sectors = (
            Sector.objects.filter(pk__in=list(counts))
            .rewrite(False)
            .order_by("order", "pk")
            .values("pk", "order", *name_columns("name"))
        )
        rows = sorted(
            [(row["order"], name_of(row, "name"), row["pk"]) for row in sectors],
            key=lambda row: (row[0], row[1]),
        )
        if NO_SECTOR in counts:
            rows.append((None, str(_("No sector")), NO_SECTOR))
        return [
            Bar(
                label,
                counts[pk][1],
                self._url(sector=pk or None, status="open"),
                PALETTE[i % len(PALETTE)],
                total=counts[pk][0],
            )
            for i, (_order, label, pk) in enumerate(rows)
        ]

    def by_party(self) -> list[Bar]:
        counts = self.tally.party
        parties = Party.objects.filter(pk__in=list(counts)).rewrite(False).order_by("order")
        rows = parties.values("pk", *name_columns("name"))
        return [
            Bar(
                name_of(row, "name"),
                counts[row["pk"]][0],
                self._url(party=row["pk"], status="open"),
                PALETTE[i % len(PALETTE)],
                counts[row["pk"]][1],
            )
            for i, row in enumerate(rows)
        ]

    def by_agency(self, limit: int = 15) -> list[Bar]:
        counts = self.tally.agency
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
                    self.tally.ages.get(low, 0),
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
        oldest = self.tally.oldest_overdue
        return {
            "count": self.tally.overdue,
            "oldest_days": (self.today - oldest).days if oldest else None,
        }

    def punctuality(self) -> list[Bar]:
        """Completed commitments with a dated deadline, in three: on time (by the original
        deadline), on time only after an extension, and late (the rest)."""
        total, on_time = self.tally.completed_dated, self.tally.on_time
        extended = self.tally.on_time_extended
        url = self._url(status=Commitment.Status.COMPLETED)
        return [
            Bar(str(_("On time (by the original deadline)")), on_time, url, "#009E73", total),
            Bar(str(_("On time after an extension")), extended, url, "#E69F00", total),
            Bar(str(_("Late")), total - on_time - extended, url, "#D55E00", total),
        ]

    def on_time_by_session(self) -> list[Bar]:
        completed = self.tally.session_completed
        labelled = [(pk, label) for pk, _number, label in self._sessions if pk in completed]
        return self._on_time(labelled, completed, self.tally.session_on_time, "session")

    @cached_property
    def _sessions(self) -> list[tuple[int, int, str]]:
        """The sessions the per-session figures name, by date: (id, number, label). Read
        once for both (each may have hundreds), as values: model rows with their council
        cost a tenth of a second."""
        wanted = set(self.tally.session_completed) | set(self.tally.trend)
        rows = (
            Session.objects.filter(pk__in=sorted(wanted))
            .order_by("start_date", "pk")
            .values("pk", "number", *name_columns("council__short_name"))
        )
        return [
            (row["pk"], row["number"], f"{name_of(row, 'council__short_name')} · {row['number']}")
            for row in rows
        ]

    def on_time_by_agency(self, limit: int = 15) -> list[Bar]:
        completed = self.tally.agency_completed
        labelled = _top_agencies(completed, limit)
        return self._on_time(labelled, completed, self.tally.agency_on_time, "agency")

    def _on_time(self, labelled, completed: dict, on_time: dict, key: str) -> list[Bar]:
        """A bar per (id, label): completed on time out of completed, linked to the
        completed commitments of that ``key`` (session, agency)."""
        return [
            Bar(
                label,
                on_time.get(pk, 0),
                self._url(**{key: pk}, status=Commitment.Status.COMPLETED),
                PALETTE[2],
                total=completed[pk],
            )
            for pk, label in labelled
        ]

    def trend(self) -> list[dict]:
        counts = self.tally.trend
        return [
            {
                "session": SessionRef(pk, number),
                "label": label,
                "adopted": counts[pk][0],
                "completed": counts[pk][1],
                "carried": counts[pk][2],
                "url": self._url(session=pk),
            }
            for pk, number, label in self._sessions
            if pk in counts
        ]


class SessionRef(NamedTuple):
    """A session of the trend: its id and number."""

    pk: int
    number: int


@dataclass
class Figures:
    """Everything the report page draws, as of ``computed_at``."""

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
    cached: bool = False  # counted earlier: as of ``computed_at``, not this moment
    # Completed: on time by the original deadline, after an extension, late.
    punctuality: list[Bar] = field(default_factory=list)

    @classmethod
    def of(cls, report: Report) -> Figures:
        return cls.of_tally(report.tally(), report.council_id, report.today)

    @classmethod
    def of_tally(
        cls,
        tally: Tally,
        council_id: int | None,
        today: datetime.date,
        *,
        computed_at: datetime.datetime | None = None,
    ) -> Figures:
        bars = Bars(tally, council_id, today)
        return cls(
            by_status=bars.by_status(),
            by_sector=bars.by_sector(),
            by_party=bars.by_party(),
            by_agency=bars.by_agency(),
            overdue_ages=bars.overdue_ages(),
            on_time_by_session=bars.on_time_by_session(),
            on_time_by_agency=bars.on_time_by_agency(),
            overdue=bars.overdue_summary(),
            trend=bars.trend(),
            punctuality=bars.punctuality(),
            computed_at=computed_at or timezone.now(),
            cached=computed_at is not None,
        )


def figures(report: Report, *, council_ids: Iterable[int]) -> Figures:
    """The report's figures over the councils ``council_ids`` (those the user may see,
    or the one chosen): live on an archive of ordinary size; on a large one (more than
    ``REPORT_LIVE_LIMIT`` commitments) the sum of each council's tally, which the
    background scan counts again every ``REPORT_CACHE_SECONDS``, shown with the time
    of the oldest. A council whose tally is missing, of another day, or older than
    twice that period (no scan ran) is counted now.

    Aggregating the archive on every view took 2 s at 100k commitments and 6–12 s at a
    million; the scan's tallies are read in one query."""
    if not archive_is_large():
        return Figures.of(report)
    from ..services.reports import report_tallies_refresh

    council_ids = list(council_ids)  # read here only: a small archive never needs them

    stale_before = tally_fresh_after()
    found = {
        row.council_id: row
        for row in ReportTally.objects.filter(
            council__in=council_ids, day=report.today, computed_at__gte=stale_before
        )
    }
    missing = [pk for pk in council_ids if pk not in found]
    if missing:
        for row in report_tallies_refresh(council_ids=missing, today=report.today):
            found[row.council_id] = row
    total = Tally.total_of(Tally.from_json(row.counts) for row in found.values())
    oldest = min((row.computed_at for row in found.values()), default=timezone.now())
    return Figures.of_tally(total, report.council_id, report.today, computed_at=oldest)


def tally_fresh_after() -> datetime.datetime:
    """The oldest a tally may be counted and still read: twice ``REPORT_CACHE_SECONDS``
    ago (an older one means no scan ran, and the page counts it itself)."""
    return timezone.now() - datetime.timedelta(seconds=2 * settings.REPORT_CACHE_SECONDS)


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
    if len(ids) > limit:  # only those that can be shown: the limit-th count or more
        floor = sorted((counts[pk] for pk in ids), reverse=True)[limit - 1]
        ids = [pk for pk in ids if counts[pk] >= floor]
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
