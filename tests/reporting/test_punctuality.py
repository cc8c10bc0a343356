"""On time is measured against the original deadline: an extension does not make late
work punctual. "On time after an extension" (completed after the original deadline but by
the extended one) is its own category. A worked example whose numbers are written here."""

import datetime

import pytest
from django.utils import timezone

from council import services
from council.models import Commitment, StatusUpdate
from council.reporting import figures as reports

from ..factories import (
    AgencyFactory,
    CommitmentFactory,
    CouncilFactory,
    PartyFactory,
    ResponsibilityFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
COMPLETED = Commitment.Status.COMPLETED
ORIGINAL = D(2025, 6, 1)


def _complete(commitment, on):
    services.commitment_change_status(commitment=commitment, to=COMPLETED, by=None)
    moment = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    StatusUpdate.objects.filter(commitment=commitment, to_status=COMPLETED).update(
        created_at=moment
    )


@pytest.fixture
def worked_example():
    kz = PartyFactory(code="KZ")
    council = CouncilFactory(parties=[kz, PartyFactory(code="KG")])
    session = SessionFactory(council=council, number=12, start_date=D(2024, 11, 22))
    agency = AgencyFactory(party=kz)

    def make(completed_on, extended_to=None):
        commitment = CommitmentFactory(session=session, deadline=ORIGINAL)
        ResponsibilityFactory(commitment=commitment, agency=agency)
        if extended_to:
            request = services.extension_request(
                commitment=commitment,
                party=kz,
                new_deadline=extended_to,
                reason="Задержка",
                by=None,
            )
            services.extension_grant(request=request, by=None)
        if completed_on:
            _complete(commitment, completed_on)
        return commitment

    make(D(2025, 5, 20))  # A: on time
    make(D(2025, 8, 15), extended_to=D(2025, 9, 1))  # B: on time after the extension
    make(D(2025, 8, 1), extended_to=D(2025, 7, 1))  # C: late even after the extension
    make(D(2025, 6, 10))  # D: late, never extended
    make(D(2025, 5, 25), extended_to=D(2025, 9, 1))  # E: on time, the extension unused
    make(None)  # F: open, not counted
    return council


def test_on_time_is_measured_against_the_original_deadline(worked_example):
    report = reports.Report(
        Commitment.objects.filter(council=worked_example), worked_example.pk, D(2026, 1, 1)
    )
    on_time, after_extension, late = report.bars().punctuality()
    # 5 completed with a dated deadline: A and E on time, B after its extension, C and D late.
    assert (on_time.value, after_extension.value, late.value) == (2, 1, 2)
    assert {bar.total for bar in (on_time, after_extension, late)} == {5}
    assert on_time.rate == 40.0
    assert after_extension.rate == 20.0
    # Against the extended deadline B would count as on time (3 of 5): it does not.
    (session_bar,) = report.bars().on_time_by_session()
    assert (session_bar.value, session_bar.total) == (2, 5)
    (agency_bar,) = report.bars().on_time_by_agency()
    assert (agency_bar.value, agency_bar.total) == (2, 5)


def test_the_figures_carry_the_three_categories(worked_example):
    report = reports.Report(
        Commitment.objects.filter(council=worked_example), worked_example.pk, D(2026, 1, 1)
    )
    found = reports.Figures.of(report)
    assert [bar.value for bar in found.punctuality] == [2, 1, 2]


def test_the_report_page_shows_the_three_categories(worked_example, admin_client):
    from django.urls import reverse

    response = admin_client.get(reverse("council:report-dashboard"), {"council": worked_example.pk})
    html = response.content.decode()
    assert 'id="chart-punctuality"' in html
    for label in ("On time (by the original deadline)", "On time after an extension", "Late"):
        assert label in html
