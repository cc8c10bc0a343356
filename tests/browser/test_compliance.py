"""The compliance page of the demo's KZ–KG council, on a phone and on a desk: both
sessions for both parties, the method, and a score set by hand refused without a reason
(shown in the row, what was chosen kept), then saved with one."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from council.models import ComplianceScore, Council

pytestmark = [pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parent / "screenshots"


@pytest.mark.parametrize("width", [390, 1366])
def test_compliance_page_and_an_override_refused_in_place(demo_site, sign_in, width):
    SHOTS.mkdir(exist_ok=True)
    council = Council.objects.get(sessions__number=13, parent__isnull=True)
    page = sign_in("secretariat", "secretariat-demo-2026")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(demo_site.url + reverse("council:council-compliance", args=[council.pk]))
    expect(page.get_by_role("heading", name="Compliance with commitments")).to_be_visible()
    by_session = page.locator("table[data-table=by-session]")
    expect(by_session.get_by_role("row")).to_have_count(3)  # header, 12th, 13th
    expect(by_session).to_contain_text("87.5%")  # Kazakhstan, 12th session
    expect(by_session).to_contain_text("75.0%")  # Kyrgyzstan, one score set to −1
    expect(page.get_by_role("heading", name="How the score is computed")).to_be_visible()
    expect(page.locator("table[data-table=scores]")).to_contain_text("Кыргызская сторона")
    page.screenshot(path=str(SHOTS / f"compliance-{width}.png"), full_page=True)

    expect(page.locator("[data-assess-form]")).to_have_count(1)  # the 13th; the 12th reviews none
    page.locator("table[data-table=by-session]").screenshot(
        path=str(SHOTS / f"compliance-table-{width}.png")
    )
    row = page.locator("table[data-table=scores] tbody tr").first
    row.get_by_text("Set the score").click()
    row.get_by_label("Score").select_option("0")
    row.get_by_role("button", name="Save score").click()
    row = page.locator("table[data-table=scores] tbody tr").first
    expect(row.locator(".invalid-feedback")).to_have_text("Say why the score is set by hand.")
    expect(row.get_by_label("Score")).to_have_value("0")
    row.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"compliance-refused-{width}.png"))
    assert not ComplianceScore.objects.filter(override=0).exists()

    row.get_by_label("Reason").fill("Сведения представлены частично")
    row.get_by_role("button", name="Save score").click()
    row = page.locator("table[data-table=scores] tbody tr").first
    expect(row.locator("[data-score-cell]")).to_contain_text("Сведения представлены частично")
    assert ComplianceScore.objects.filter(override=0).count() == 1


def test_a_focal_point_reads_the_scores_without_forms(demo_site, sign_in):
    council = Council.objects.get(sessions__number=13, parent__isnull=True)
    page = sign_in("focal", "focal-demo-2026")
    page.goto(demo_site.url + reverse("council:council-compliance", args=[council.pk]))
    expect(page.get_by_role("heading", name="Compliance with commitments")).to_be_visible()
    expect(page.get_by_role("button", name="Save score")).to_have_count(0)
    expect(page.locator("[data-assess-form]")).to_have_count(0)
