"""The demo's reporting cycle and its deadline on a holiday."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from council.cycles import OVERDUE, REPORTED, interim_reports
from council.models import Commitment, ReportingCycle
from council.workdays import non_working
from tests.conftest import DEMO_TODAY

pytestmark = [pytest.mark.usefixtures("demo_once"), pytest.mark.xdist_group("demo")]


def test_a_quarterly_cycle_one_side_reported_the_other_overdue(demo):
    cycle = ReportingCycle.objects.get(is_active=True)
    assert cycle.period == ReportingCycle.Period.QUARTERLY
    assert cycle.commitment == demo.commitments["c13-1"]
    assert cycle.commitment.deadline_kind == Commitment.DeadlineKind.ONGOING
    assert cycle.commitment.council.parties.filter(code__in=["KZ", "KG"]).count() == 2
    states = {r.party_code: r for r in interim_reports([cycle], DEMO_TODAY)}
    assert states["KZ"].state == REPORTED
    assert states["KZ"].current_reported_on is not None  # reported this quarter too
    assert states["KG"].state == OVERDUE
    assert states["KG"].current_reported_on is None


def test_a_demo_deadline_falls_on_a_national_holiday(demo):
    deadline = demo.commitments["c12-3"].deadline
    with translation.override("ru"):
        off = non_working(deadline, "KG")
        assert str(off.name) == "День независимости"


def test_the_commitment_page_shows_the_panel_in_russian(demo, client):
    client.force_login(demo.users["secretariat"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    page = client.get(demo.commitments["c13-1"].get_absolute_url()).content.decode()
    assert "Промежуточные отчёты" in page
    assert "Промежуточный отчёт просрочен" in page or "срок подходит" in page
    holiday = client.get(demo.commitments["c12-3"].get_absolute_url()).content.decode()
    assert "нерабочий день в Кыргызстане: День независимости" in holiday
