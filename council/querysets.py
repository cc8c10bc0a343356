"""Reads: every page selects through these, so what a page loads is said in one place."""

from __future__ import annotations

import datetime
import functools
from typing import NamedTuple

from django.apps import apps
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .paging import Key, Ordering


def local_today() -> datetime.date:
    """Today in the project's time zone (Asia/Almaty by default), not in UTC."""
    return timezone.localdate()


def agency_subtree(agency_id: int | None) -> frozenset[int]:
    """The agency and every body under it, at any depth (one query per level; runs them).

    Who answers for what: a focal point reports for the bodies under their agency, and
    is reminded about them. The reminder scan walks the same tree upwards in bulk."""
    if not agency_id:
        return frozenset()
    Agency = apps.get_model("council", "Agency")
    found = {agency_id}
    frontier = {agency_id}
    while frontier:
        frontier = (
            set(Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        )
        found |= frontier
    return frozenset(found)


def overdue_q(today: datetime.date | None = None, prefix: str = "") -> Q:
    """Open, with a dated deadline that has passed: "overdue", as every list, count and
    badge derives it (``Commitment.is_overdue`` says the same for one loaded row)."""
    today = today or local_today()
    Commitment = apps.get_model("council", "Commitment")
    return Q(
        **{
            f"{prefix}status__in": Commitment.OPEN_STATUSES,
            f"{prefix}deadline_kind": Commitment.DeadlineKind.DATE,
            f"{prefix}deadline__lt": today,
        }
    )


class SessionQuerySet(models.QuerySet):
    def planned(self) -> SessionQuerySet:
        return self.filter(status=self.model.Status.PLANNED)

    def held(self) -> SessionQuerySet:
        return self.filter(status=self.model.Status.HELD)

    def upcoming(self, today: datetime.date | None = None) -> SessionQuerySet:
        """Planned sessions from today on, soonest first."""
        today = today or local_today()
        return self.planned().filter(start_date__gte=today).order_by("start_date")

    def for_list(self) -> SessionQuerySet:
        return self.select_related("council", "host_party", "country")


class CommitmentQuerySet(models.QuerySet):
    def open(self) -> CommitmentQuerySet:
        """Commitments still to be carried out (not completed, cancelled or superseded)."""
        return self.filter(status__in=self.model.OPEN_STATUSES)

    def closed(self) -> CommitmentQuerySet:
        return self.exclude(status__in=self.model.OPEN_STATUSES)

    def monitored(self) -> CommitmentQuerySet:
        """Commitments the council still follows from session to session."""
        return self.filter(is_monitored=True)

    def overdue(self, today: datetime.date | None = None) -> CommitmentQuerySet:
        """Open commitments whose dated deadline has passed."""
        return self.filter(overdue_q(today))

    def due_within(self, days: int, today: datetime.date | None = None) -> CommitmentQuerySet:
        """Open commitments due from today up to ``days`` days ahead."""
        today = today or local_today()
        return self.open().filter(
            deadline_kind=self.model.DeadlineKind.DATE,
            deadline__gte=today,
            deadline__lte=today + datetime.timedelta(days=days),
        )

    def deadline_counts(self, today: datetime.date | None = None, days: int = 30) -> dict[str, int]:
        """Open, overdue and due-within-``days`` counts in one query (runs it).

        Counts ``*`` and ``deadline``, not ``id``: every column read here is in
        ``commitment_open_council_dl_idx``, so PostgreSQL counts from that index alone.
        """
        today = today or local_today()
        dated = Q(deadline_kind=self.model.DeadlineKind.DATE)
        return self.open().aggregate(
            open=models.Count("*"),
            overdue=models.Count("deadline", filter=dated & Q(deadline__lt=today)),
            due_soon=models.Count(
                "deadline",
                filter=dated
                & Q(deadline__gte=today, deadline__lte=today + datetime.timedelta(days=days)),
            ),
        )

    def responsible(self, agency_ids) -> CommitmentQuerySet:
        """Commitments any of ``agency_ids`` is responsible for, as lead or co-executor.

        A semi-join, not a join: no duplicates to remove, so counts need no DISTINCT."""
        Responsibility = apps.get_model("council", "Responsibility")
        return self.filter(
            pk__in=Responsibility.objects.filter(agency__in=agency_ids).values("commitment_id")
        )

    def for_council(self, council) -> CommitmentQuerySet:
        return self.filter(council=council)

    def with_overdue_flag(self, today: datetime.date | None = None) -> CommitmentQuerySet:
        """Annotate ``overdue`` (bool) so lists can sort and badge without Python loops."""
        return self.annotate(
            overdue=models.Case(
                models.When(overdue_q(today), then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )

    def with_risk_flags(self) -> CommitmentQuerySet:
        """Annotate ``at_risk_parties``: the codes of the sides flagged at risk and not
        cleared ("KG", "KZ, KG"), or None; the status badge shows them. A subquery per
        row of the page, not a query."""
        RiskFlag = apps.get_model("council", "RiskFlag")
        codes = (
            RiskFlag.objects.filter(commitment=models.OuterRef("pk"), cleared_at__isnull=True)
            .order_by()
            .values("commitment")
            .annotate(codes=models.StringAgg("party__code", Value(", ")))
            .values("codes")
        )
        return self.annotate(at_risk_parties=models.Subquery(codes))

    def for_list(self) -> CommitmentQuerySet:
        """What a commitment list row shows: session, council, sector, responsible agencies,
        the sides at risk."""
        return (
            self.with_risk_flags()
            .select_related("session__council", "sector")
            .prefetch_related(
                models.Prefetch(
                    "responsibilities",
                    queryset=apps.get_model("council", "Responsibility").objects.select_related(
                        "agency__party", "party"
                    ),
                )
            )
        )

    def for_list_page(self) -> CommitmentQuerySet:
        """The commitment list's rows: the columns a row shows and sorts by, no more.

        A row read whole (texts, notes, every language of every name) cost more than the
        query that found it; a template reaching for another column raises in the page
        tests (fetch mode RAISE) instead of loading it row by row. The responsible
        agencies come from ``attach_responsible``."""
        return (
            self.with_risk_flags()
            .select_related("session__council", "sector")
            .only(*LIST_PAGE_FIELDS, *localized(*LIST_PAGE_NAMES))
        )


class ResponsibleAgency(NamedTuple):
    """An agency responsible for a commitment, as a list row names it, and its side."""

    label: str
    role: str
    code: str  # the side's party ("KZ"): a deadline on its day off is flagged


def attach_responsible(commitments: list) -> list:
    """Set ``responsible`` on each commitment: its agencies as ``ResponsibleAgency``, by
    party, lead first, as the commitment page lists them (one query; runs it).

    A page of rows read as Responsibility, Agency and Party instances, each name in four
    languages, cost five times the rows' own query."""
    Responsibility = apps.get_model("council", "Responsibility")
    Agency = apps.get_model("council", "Agency")
    by_commitment: dict[int, list[ResponsibleAgency]] = {c.pk: [] for c in commitments}
    rows = localized_values(
        Responsibility.objects.filter(commitment__in=list(by_commitment)).order_by(
            "commitment_id", "party__order", "role", "agency__name"
        ),
        "commitment_id",
        "role",
        "agency__party__code",
        names=("agency__short_name", "agency__name"),
    )
    for commitment, role, code, short, name in rows:
        label = Agency.label_of(short, name, code)
        by_commitment[commitment].append(ResponsibleAgency(label, role, code))
    for commitment in commitments:
        commitment.responsible = by_commitment[commitment.pk]
    return commitments


def responsible_of(commitment) -> list[ResponsibleAgency]:
    """``commitment``'s agencies: as ``attach_responsible`` set them, or else from its
    responsibilities (prefetched, with their agencies and parties, where a page lists
    several)."""
    attached = getattr(commitment, "responsible", None)
    if attached is not None:
        return attached
    return [
        ResponsibleAgency(str(r.agency), r.role, r.party.code)
        for r in commitment.responsibilities.all()
    ]


# What a row of the commitment list shows (title, session, sector, deadline, status) and
# the keys its orderings page by (adoption date, session, deadline, status, title, id).
LIST_PAGE_FIELDS = (
    "clause",
    "title",
    "status",
    "deadline",
    "deadline_kind",
    "adopted_on",
    "council",
    "session__number",
)
LIST_PAGE_NAMES = ("session__council__short_name", "sector__name")


def name_columns(path: str) -> list[str]:
    """The columns of a translated name (``sector__name``…), in the order
    django-modeltranslation falls back from the current language."""
    from django.utils.translation import get_language

    return list(_name_columns(path, get_language() or "en"))


@functools.cache
def _name_columns(path: str, language: str) -> tuple[str, ...]:
    # Read for every row a report labels (500 sessions): the order comes from settings.
    from modeltranslation.utils import resolution_order

    return tuple(f"{path}_{code}" for code in resolution_order(language))


def name_of(row: dict, path: str) -> str:
    """The name at ``path`` of a ``values()`` row that selected ``name_columns(path)``."""
    return next((row[column] for column in name_columns(path) if row[column]), "")


def name_expression(path: str):
    """The translated name at ``path`` as one SQL expression, in the current language
    with django-modeltranslation's fallback: the first filled column of
    ``name_columns(path)`` (an empty text counts as not translated). For annotations that
    a query groups or orders by, where ``name_of`` cannot run."""
    from django.db.models.functions import NullIf

    text = models.CharField()
    columns = [NullIf(F(column), Value(""), output_field=text) for column in name_columns(path)]
    return columns[0] if len(columns) == 1 else Coalesce(*columns, output_field=text)


def localized_values(queryset, *fields: str, names: tuple[str, ...]) -> list[tuple]:
    """Rows of ``fields`` then each of ``names`` (paths to translated names, may cross
    relations) in the current language, falling back as django-modeltranslation does: the
    first filled column of the language's resolution order (runs the query).

    The same as ``values_list`` with django-modeltranslation's fallback, read as plain
    columns: its own reader resolves each row through the model's descriptors, 3 ms for
    the 200 agencies of the list's filter where the query takes 0.3."""
    columns = [column for name in names for column in name_columns(name)]
    width = len(columns) // len(names) if names else 0
    if hasattr(queryset, "rewrite"):
        queryset = queryset.rewrite(False)
    plain = len(fields)
    starts = range(plain, plain + width * len(names), width)
    rows = []
    for row in queryset.values_list(*fields, *columns):
        texts = [
            row[start] or next((value for value in row[start + 1 : start + width] if value), "")
            for start in starts
        ]
        rows.append((*row[:plain], *texts))
    return rows


def localized(*paths: str) -> list[str]:
    """``only()`` paths for names stored per language: the column of every language.

    django-modeltranslation rewrites such paths only through models that are translated
    themselves, so ``session__council__short_name`` (Commitment, Session are not) would
    load the names row by row when read."""
    from django.conf import settings

    return [f"{path}_{code}" for path in paths for code, _name in settings.LANGUAGES]


# A commitment's deadline as a sort key: undated ones (next session, ongoing) sort last.
DEADLINE_KEY = Coalesce(F("deadline"), Value(datetime.date.max))

# The commitment list's sorts ----------------------------------------------------------

_DATE, _ID = Key("adopted_on", datetime.date), Key("session_id")
_DEADLINE = Key("deadline_key", datetime.date)
# Every sort of the commitment list, by its ``ordering`` parameter; the id ends each key.
LIST_ORDERINGS = {
    # Adoption, newest session first; within a session in clause (record) order.
    "": Ordering((_DATE, _ID, Key("pk")), (True, True, False)),
    "session": Ordering((_DATE, _ID, Key("pk")), (False, False, False)),
    "-session": Ordering((_DATE, _ID, Key("pk")), (True, True, True)),
    "deadline": Ordering((_DEADLINE, Key("pk")), (False, False), (("deadline_key", DEADLINE_KEY),)),
    "-deadline": Ordering((_DEADLINE, Key("pk")), (True, True), (("deadline_key", DEADLINE_KEY),)),
    "status": Ordering((Key("status", str), Key("pk")), (False, False)),
    "-status": Ordering((Key("status", str), Key("pk")), (True, True)),
    "title": Ordering((Key("title", str), Key("pk")), (False, False)),
    "-title": Ordering((Key("title", str), Key("pk")), (True, True)),
}


# Each party's side in the commitment list ----------------------------------------------


class SideColumn(NamedTuple):
    """A party, as a column of the list: one per party with a side on the page."""

    party_id: int
    code: str
    label: str


class SideCell(NamedTuple):
    """One party's side of one commitment in the list (None where it has no side)."""

    code: str
    status: str
    label: str
    is_responsible: bool


def attach_sides(commitments: list) -> list[SideColumn]:
    """Set ``side_cells`` on each commitment (its sides' statuses, one per column) and
    return the columns: the parties with a side among ``commitments``, in party order
    (one query, whatever the number of rows; runs it)."""
    CommitmentSide = apps.get_model("council", "CommitmentSide")
    ids = [c.pk for c in commitments]
    rows = (
        localized_values(
            CommitmentSide.objects.filter(commitment__in=ids).order_by("party__order", "party_id"),
            "commitment_id",
            "party_id",
            "party__code",
            "status",
            "is_responsible",
            names=("party__short_name",),
        )
        if ids
        else []
    )
    columns: dict[int, SideColumn] = {}
    statuses: dict[tuple[int, int], SideCell] = {}
    labels = dict(CommitmentSide.Status.choices)
    for commitment_id, party_id, code, status, responsible, short_name in rows:
        columns.setdefault(party_id, SideColumn(party_id, code, short_name or code))
        statuses[commitment_id, party_id] = SideCell(code, status, labels[status], responsible)
    for commitment in commitments:
        commitment.side_cells = [statuses.get((commitment.pk, p)) for p in columns]
    return list(columns.values())
