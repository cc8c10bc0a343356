"""The reporting cycle panel in a browser, at a phone's width and a laptop's: each side's
interim report, a refused change shown in place with what was typed, then saved; and the
dashboard's overdue interim reports."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from council.models import ReportingCycle

from .conftest import FLOW_WIDTHS

pytestmark = [pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parent / "screenshots"


@pytest.mark.parametrize("width", FLOW_WIDTHS)
def test_the_secretariat_sees_and_changes_the_reporting_cycle(demo_site, sign_in, width):
    SHOTS.mkdir(exist_ok=True)
    page = sign_in("secretariat", "secretariat-demo-2026")
    page.set_viewport_size({"width": width, "height": 900})
    commitment_id = ReportingCycle.objects.get(is_active=True).commitment_id
    page.goto(demo_site.url + reverse("council:commitment-detail", args=[commitment_id]))
    panel = page.locator("#reporting-cycle")
    expect(panel.get_by_role("heading", name="Interim reports")).to_be_visible()
    expect(panel.locator("[data-party=KZ]").get_by_text("Reported", exact=True)).to_be_visible()
    expect(panel.locator("[data-party=KG]").get_by_text("Interim report overdue")).to_be_visible()
    panel.scroll_into_view_if_needed()
    panel.screenshot(path=str(SHOTS / f"cycles-panel-{width}.png"))

    # A day the month does not always have: refused in place, what was typed kept.
    panel.get_by_text("Change the reporting cycle").click()
    page.get_by_label("Reporting period").select_option("monthly")
    page.get_by_label("Due by day of the next month").fill("31")
    page.get_by_role("button", name="Save reporting cycle").click()
    due_day = page.locator("#reporting-cycle").get_by_label("Due by day of the next month")
    expect(due_day).to_have_attribute("aria-invalid", "true")
    expect(due_day).to_have_value("31")
    expect(page.locator("#reporting-cycle").get_by_label("Reporting period")).to_have_value(
        "monthly"
    )
    page.locator("#reporting-cycle").screenshot(path=str(SHOTS / f"cycles-refused-{width}.png"))
    assert ReportingCycle.objects.get(is_active=True).period == "quarterly"

    due_day.fill("15")
    page.get_by_role("button", name="Save reporting cycle").click()
    expect(page.locator("#reporting-cycle").get_by_role("status")).to_contain_text(
        "Reporting cycle saved."
    )
    expect(page.locator("#reporting-cycle")).to_contain_text("Monthly, due by day 15")
    cycle = ReportingCycle.objects.get(is_active=True)
    assert (cycle.period, cycle.due_day) == ("monthly", 15)
    page.locator("#reporting-cycle").screenshot(path=str(SHOTS / f"cycles-saved-{width}.png"))

    page.goto(demo_site.url + reverse("council:dashboard"))
    card = page.locator("#interim-reports")
    expect(card.get_by_role("heading", name="Overdue interim reports")).to_be_visible()
    card.scroll_into_view_if_needed()
    card.screenshot(path=str(SHOTS / f"cycles-dashboard-{width}.png"))
    # The lists mark a deadline on a day off in a responsible party's country.
    rows = page.locator("section", has=page.get_by_role("heading", name="Overdue", exact=True))
    rows.screenshot(path=str(SHOTS / f"cycles-overdue-rows-{width}.png"))
