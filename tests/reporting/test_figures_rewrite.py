"""The report figures rewritten for a million commitments (grouped by id, completions as
EXISTS / NOT EXISTS) give exactly what the first versions gave: those are kept here as
the reference and both run on the same data, with the cases that could tell them apart
(a commitment completed, reopened and completed again; two agencies of one party on a
commitment; agencies tied on their count; several languages)."""

import datetime

import pytest
from django.db.models import Count, DateField, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone, translation

from council import services
from council.models import Agency, Commitment, Responsibility, StatusUpdate
from council.querysets import name_columns, name_of, overdue_q
from council.reporting import figures as reports

from ..factories import (
    AgencyFactory,
    CommitmentFactory,
    CouncilFactory,
    PartyFactory,
    ResponsibilityFactory,
    SectorFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 25)
D = datetime.date
COMPLETED = Commitment.Status.COMPLETED


# The first versions, as they were: a subquery per row for the last completion, and
# groups by every name column. ---------------------------------------------------------


def _names():
    return [*name_columns("agency__short_name"), *name_columns("agency__name")]


def _label(row):
    return Agency.label_of(
        name_of(row, "agency__short_name"), name_of(row, "agency__name"), row["party__code"]
    )


def _responsible(report):
    return Responsibility.objects.filter(commitment__in=report.commitments.values("pk"))


def old_by_party(report):
    rows = (
        _responsible(report)
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
    return [(name_of(r, "party__name"), r["open"], r["total"], r["party_id"]) for r in rows]


def old_by_agency(report, limit=15):
    rows = (
        _responsible(report)
        .values("agency_id", *_names(), "party__code")
        .annotate(
            open=Count(
                "commitment",
                filter=Q(commitment__status__in=Commitment.OPEN_STATUSES),
                distinct=True,
            ),
            overdue=Count(
                "commitment", filter=overdue_q(report.today, prefix="commitment__"), distinct=True
            ),
        )
        .filter(open__gt=0)
        .order_by("-open", "agency__name")[:limit]
    )
    return [(_label(r), r["open"], r["overdue"], r["agency_id"]) for r in rows]


def _completed_on(outer):
    return Subquery(
        StatusUpdate.objects.filter(commitment=OuterRef(outer), to_status=COMPLETED)
        .order_by("-created_at")
        .annotate(day=TruncDate("created_at"))
        .values("day")[:1],
        output_field=DateField(),
    )


def _on_time(queryset):
    done = Q(status=COMPLETED, deadline_kind=Commitment.DeadlineKind.DATE)
    return queryset.annotate(
        on_time=Count("pk", filter=done & Q(completed_day__lte=F("deadline"))),
        completed=Count("pk", filter=done),
    )


def old_on_time_by_session(report):
    rows = _on_time(
        report.commitments.annotate(completed_day=_completed_on("pk")).values(
            "session_id",
            "session__number",
            *name_columns("session__council__short_name"),
            "session__start_date",
        )
    ).order_by("session__start_date", "session_id")
    return [
        (
            f"{name_of(r, 'session__council__short_name')} · {r['session__number']}",
            r["on_time"],
            r["completed"],
            r["session_id"],
        )
        for r in rows
        if r["completed"]
    ]


def old_on_time_by_agency(report, limit=15):
    done = Q(
        commitment__status=COMPLETED,
        commitment__deadline_kind=Commitment.DeadlineKind.DATE,
    )
    rows = (
        _responsible(report)
        .annotate(completed_day=_completed_on("commitment_id"))
        .values("agency_id", *_names(), "party__code")
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
    return [(_label(r), r["on_time"], r["completed"], r["agency_id"]) for r in rows]


def bars(found):
    return [(bar.label, bar.value, bar.total, bar.url) for bar in found]


def expected(rows, report, key, status):
    return [
        (
            label,
            value,
            total,
            reports.list_url(council=report.council_id, **{key: pk, "status": status}),
        )
        for label, value, total, pk in rows
    ]


# The data -------------------------------------------------------------------------------


def complete(commitment, on):
    """Complete (through the services), dated ``on`` at noon: the latest completion."""
    services.commitment_change_status(commitment=commitment, to=COMPLETED, by=None)
    moment = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    latest = StatusUpdate.objects.filter(commitment=commitment, to_status=COMPLETED).latest()
    StatusUpdate.objects.filter(pk=latest.pk).update(created_at=moment)


@pytest.fixture
def archive():
    kz, kg = PartyFactory(code="KZ", order=1), PartyFactory(code="KG", order=2)
    council = CouncilFactory(parties=[kz, kg])
    other_council = CouncilFactory(parties=[kz, kg])
    sector = SectorFactory(code="trade", name="Trade")
    ministry = AgencyFactory(party=kz, name="Ministry", short_name="MIN", short_name_ru="МИН")
    # Same counts as the ministry below: ties are broken by the name, as before.
    committee = AgencyFactory(party=kz, name="Committee", short_name="")
    energy = AgencyFactory(party=kg, name="Energy", short_name="EN")
    sessions = [
        SessionFactory(council=council, number=n, start_date=D(2020 + n, 3, 1)) for n in (1, 2, 3)
    ]
    late_session = SessionFactory(council=other_council, number=1, start_date=D(2024, 3, 1))

    def make(session, deadline, agencies, kind="date"):
        commitment = CommitmentFactory(
            session=session,
            sector=sector,
            deadline=deadline if kind == "date" else None,
            deadline_kind=kind,
        )
        for agency, role in agencies:
            ResponsibilityFactory(commitment=commitment, agency=agency, role=role)
        return commitment

    lead, co = Responsibility.Role.LEAD, Responsibility.Role.CO_EXECUTOR
    on_time = make(sessions[0], D(2022, 6, 1), [(ministry, lead), (committee, co)])
    late = make(sessions[0], D(2022, 6, 1), [(energy, lead)])
    # Completed on time, reopened, completed again after the deadline: late.
    reopened = make(sessions[1], D(2023, 6, 1), [(ministry, lead), (energy, lead)])
    # Completed late, reopened, completed again... still late on the last day.
    twice = make(sessions[1], D(2023, 6, 1), [(committee, lead)])
    # Completed on the deadline day itself: on time.
    on_the_day = make(sessions[2], D(2024, 6, 1), [(committee, lead), (ministry, co)])
    undated = make(sessions[2], None, [(ministry, lead)], kind="ongoing")
    overdue = make(sessions[2], D(2025, 1, 1), [(ministry, lead), (committee, co)])
    make(sessions[2], D(2027, 1, 1), [(energy, lead)])  # open, not due
    make(sessions[2], D(2027, 1, 1), [])  # nobody responsible
    make(late_session, D(2025, 1, 1), [(energy, lead)])  # another council, overdue
    complete(on_time, D(2022, 5, 30))
    complete(late, D(2022, 7, 15))
    complete(reopened, D(2023, 5, 1))
    services.commitment_change_status(commitment=reopened, to="in_progress", by=None, note="x")
    complete(reopened, D(2023, 8, 1))
    complete(twice, D(2023, 7, 1))
    services.commitment_change_status(commitment=twice, to="in_progress", by=None, note="x")
    complete(twice, D(2023, 9, 1))
    complete(on_the_day, D(2024, 6, 1))
    complete(undated, D(2024, 1, 1))
    services.commitment_change_status(commitment=overdue, to="in_progress", by=None)
    return council


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("scope", ["all", "council"])
def test_rewritten_figures_equal_the_first_versions(archive, language, scope):
    commitments = Commitment.objects.all()
    if scope == "council":
        commitments = commitments.for_council(archive)
    council_id = archive.pk if scope == "council" else None
    with translation.override(language):
        report = reports.Report(commitments, council_id, TODAY)
        assert bars(report.bars().by_party()) == [
            (
                label,
                open_,
                total,
                reports.list_url(council=report.council_id, party=pk, status="open"),
            )
            for label, open_, total, pk in old_by_party(report)
        ]
        assert bars(report.bars().by_agency()) == expected(
            old_by_agency(report), report, "agency", "open"
        )
        assert bars(report.bars().on_time_by_session()) == expected(
            old_on_time_by_session(report), report, "session", COMPLETED
        )
        assert bars(report.bars().on_time_by_agency()) == expected(
            old_on_time_by_agency(report), report, "agency", COMPLETED
        )
        # Not vacuous: the data has on-time and late completions, ties and the limit.
        on_time = report.bars().on_time_by_agency()
        assert any(bar.value for bar in on_time)
        assert any(bar.value < bar.total for bar in on_time)
        assert len(report.bars().by_agency(limit=1)) == 1
        assert bars(report.bars().by_agency(limit=1)) == expected(
            old_by_agency(report, limit=1), report, "agency", "open"
        )
