"""The reporting cycle panel on the commitment page (htmx, 422 in place), the dashboard's
interim reports, and deadlines on a day off in the lists."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from council import services
from council.models import Commitment, ReportingCycle, User

from ..factories import CommitmentFactory, ResponsibilityFactory

D = datetime.date
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
HTMX = {"HX-Request": "true"}
NOW = datetime.datetime(2026, 10, 20, 11, tzinfo=ALMATY)  # Q3's reports were due on the 10th


@pytest.fixture(autouse=True)
def english(world):
    User.objects.update(language="en")
    for user in world.users.values():
        user.language = "en"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def kz_agency(world):
    return world.commitment_a.responsibilities.get(party__code="KZ").agency


def set_cycle(world, commitment=None):
    return services.reporting_cycle_set(
        commitment=commitment or world.commitment_a,
        period=ReportingCycle.Period.QUARTERLY,
        starts_on=D(2026, 7, 1),
        by=world.users["secretariat"],
    )


def test_the_panel_shows_each_side_and_the_form_to_the_secretariat(world, login, frozen):
    set_cycle(world)
    with time_machine.travel(datetime.datetime(2026, 9, 15, 10, tzinfo=ALMATY), tick=False):
        services.commitment_report_progress(
            commitment=world.commitment_a, by=None, note="Q3", agency=kz_agency(world)
        )
    url = world.commitment_a.get_absolute_url()
    page = login(world.users["secretariat"]).get(url).content.decode()
    assert 'id="reporting-cycle"' in page
    assert "Quarterly, due by day 10 of the month after each period" in page
    assert "Reported</span>" in page and "Interim report overdue" in page
    assert "Save reporting cycle" in page and "Stop the reporting cycle" in page
    focal = login(world.users["focal_a"]).get(url).content.decode()
    assert "Interim report overdue" in focal
    assert "Save reporting cycle" not in focal


def test_setting_a_cycle_with_htmx_swaps_the_panel(world, login, frozen):
    client = login(world.users["secretariat"])
    url = reverse("council:reporting-cycle-set", args=[world.commitment_a.pk])
    data = {"period": "monthly", "due_day": "5", "starts_on": "2026-09-01"}
    response = client.post(url, data, headers=HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="reporting-cycle"')
    assert "Reporting cycle saved." in body
    assert "Monthly, due by day 5" in body
    cycle = ReportingCycle.objects.get(commitment=world.commitment_a, is_active=True)
    assert (cycle.period, cycle.due_day, cycle.created_by) == (
        "monthly",
        5,
        world.users["secretariat"],
    )
    # September's reports were due by 5 October: both sides are overdue.
    assert body.count("Interim report overdue") == 2


def test_a_refused_form_comes_back_422_in_place_with_what_was_typed(world, login, frozen):
    client = login(world.users["secretariat"])
    url = reverse("council:reporting-cycle-set", args=[world.commitment_a.pk])
    response = client.post(
        url, {"period": "quarterly", "due_day": "31", "starts_on": "2026-07-01"}, headers=HTMX
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="reporting-cycle"')
    assert 'value="31"' in body and "is-invalid" in body
    assert '<details class="mt-3 no-print" open>' in body
    assert not ReportingCycle.objects.exists()


def test_a_closed_commitment_is_refused_in_place(world, login, frozen):
    services.commitment_change_status(
        commitment=world.commitment_b,
        to=Commitment.Status.CANCELLED,
        by=world.users["secretariat"],
        note="Overtaken",
    )
    client = login(world.users["secretariat"])
    url = reverse("council:reporting-cycle-set", args=[world.commitment_b.pk])
    data = {"period": "quarterly", "due_day": "12", "starts_on": "2026-07-01"}
    response = client.post(url, data, headers=HTMX)
    assert response.status_code == 422
    body = response.content.decode()
    assert "A closed commitment has no reporting cycle." in body
    assert 'value="12"' in body
    stop = reverse("council:reporting-cycle-stop", args=[world.commitment_a.pk])
    response = client.post(stop, headers=HTMX)
    assert response.status_code == 422
    assert "no reporting cycle to stop" in response.content.decode()


def test_others_may_not_set_or_stop_a_cycle(world, login, frozen):
    set_cycle(world)
    for who in ("focal_a", "manager", "secretariat_other"):
        client = login(world.users[who])
        for name in ("reporting-cycle-set", "reporting-cycle-stop"):
            url = reverse(f"council:{name}", args=[world.commitment_a.pk])
            response = client.post(url, {"period": "monthly", "due_day": "10"}, headers=HTMX)
            assert response.status_code in (403, 404), (who, name)
    assert ReportingCycle.objects.get(is_active=True).period == "quarterly"


def test_stopping_without_htmx_goes_back_to_the_page(world, login, frozen):
    set_cycle(world)
    client = login(world.users["secretariat"])
    url = reverse("council:reporting-cycle-stop", args=[world.commitment_a.pk])
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == world.commitment_a.get_absolute_url()
    assert not ReportingCycle.objects.filter(is_active=True).exists()
    page = client.get(world.commitment_a.get_absolute_url()).content.decode()
    assert "No reporting cycle" in page


def test_the_dashboard_lists_interim_reports(world, login, frozen):
    set_cycle(world)
    focal = login(world.users["focal_a"]).get(reverse("council:dashboard")).content.decode()
    assert "Interim reports due / overdue" in focal
    assert "Interim report overdue" in focal
    secretariat = login(world.users["secretariat"]).get(reverse("council:dashboard"))
    assert "Overdue interim reports" in secretariat.content.decode()
    # Nothing to show in another council's secretariat.
    other = login(world.users["secretariat_other"]).get(reverse("council:dashboard"))
    assert "interim" not in other.content.decode().lower()


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["focal_a", "secretariat", "manager"])
def test_the_dashboards_interim_reports_keep_their_query_count(world, login, frozen, role):
    def more(n):
        for _ in range(n):
            commitment = CommitmentFactory(session=world.session)
            for responsibility in world.commitment_a.responsibilities.all():
                ResponsibilityFactory(commitment=commitment, agency=responsibility.agency)
            set_cycle(world, commitment)

    client = login(world.users[role])
    url = reverse("council:dashboard")
    more(2)
    small = _queries(client, url)
    more(12)
    assert _queries(client, url) == small


def test_a_deadline_on_a_holiday_is_shown_as_a_day_off(world, login, frozen):
    commitment = world.commitment_a
    Commitment.objects.filter(pk=commitment.pk).update(deadline=D(2026, 8, 31))
    page = login(world.users["secretariat"]).get(commitment.get_absolute_url()).content.decode()
    assert "non-working day in Kyrgyzstan: Independence Day" in page
    assert "non-working day in Kazakhstan" not in page  # a Monday worked in Kazakhstan
    # The session page's rows (the shared row template) mark it too, without a query per row.
    session = reverse("council:session-detail", args=[world.session.pk])
    client = login(world.users["secretariat"])
    rows = client.get(session).content.decode()
    assert "KG&#8239;✕" in rows or "KG\u202f✕" in rows
    before = _queries(client, session)
    for _ in range(5):
        extra = CommitmentFactory(session=world.session, deadline=D(2026, 12, 16))
        for responsibility in commitment.responsibilities.all():
            ResponsibilityFactory(commitment=extra, agency=responsibility.agency)
    assert _queries(client, session) == before


def test_a_refusal_without_htmx_is_the_whole_page_with_the_panel_refused(world, login, frozen):
    client = login(world.users["secretariat"])
    url = reverse("council:reporting-cycle-set", args=[world.commitment_a.pk])
    response = client.post(url, {"period": "monthly", "due_day": "0", "starts_on": "2026-07-01"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "<!doctype html>" in body.lower() and 'id="reporting-cycle"' in body
    assert 'value="0"' in body and "is-invalid" in body
