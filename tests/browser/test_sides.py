"""Two parties, one clause, on a desktop and on a phone: a focal point reports completion
for their own party's side; a manager's return without a reason is refused in place in
that side's card; the manager accepts that side, and the other side stays as it was. No
page scrolls sideways at 390 px.

Screenshots of the commitment page go to ``screenshots/`` (not kept in the repository)."""

import pytest
from playwright.sync_api import expect

from council.models import Commitment, CommitmentSide

from .conftest import FLOW_WIDTHS
from .test_manager_review import no_sideways_scroll, shoot

pytestmark = [pytest.mark.django_db(transaction=True)]
S = Commitment.Status


@pytest.mark.parametrize("width", FLOW_WIDTHS)
def test_a_side_reported_by_its_focal_point_and_accepted_by_a_manager(demo_site, sign_in, width):
    # Clause 2.4 of the 13th session binds both parties; the Kyrgyz ministry is at work.
    commitment = Commitment.objects.get(session__number=13, clause="2.4")
    mine = commitment.sides.get(party__code="KG")  # the reporting side
    other = commitment.sides.get(party__code="KZ")
    url = demo_site.url + commitment.get_absolute_url()

    page = sign_in("focal.kg", "focal-kg-demo-2026")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    expect(page.locator(f"#side-{mine.pk}")).to_be_visible()
    expect(page.locator(f"#side-{other.pk}")).to_be_visible()
    # Only their own side offers a report.
    expect(page.locator(f"#side-{other.pk}").get_by_role("link")).to_have_count(0)
    no_sideways_scroll(page)
    page.locator(f"#side-{mine.pk}").get_by_role(
        "link", name="Report progress for this side"
    ).click()
    form = page.locator("#updates form")
    expect(form.get_by_label("Side")).to_have_value(str(mine.pk))
    form.get_by_label("New status").select_option(S.COMPLETION_REPORTED)
    form.get_by_label("What has been done").fill("Grid section commissioned, act signed.")
    form.get_by_role("button", name="Save report").click()
    expect(page.locator(f"#side-{mine.pk}")).to_contain_text("Completion reported")
    expect(page.locator(f"#side-{other.pk}")).to_contain_text("Not started")
    shoot(page, "sides-focal", width)

    page = sign_in("manager", "manager-demo-2026")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    card = page.locator(f"#side-{mine.pk}")
    expect(page.locator(f"#side-review-{other.pk}")).to_have_count(0)
    card.get_by_role("button", name="Return with this reason").click()
    error = page.locator(f"#side-{mine.pk}-reason-error")
    expect(error).to_contain_text("Say why the completion is returned")
    expect(page.locator(f"#side-{mine.pk}")).to_contain_text("Completion reported")
    no_sideways_scroll(page)
    shoot(page, "sides-refused", width)
    page.locator(f"#side-{mine.pk}").get_by_role("button", name="Accept for").click()
    expect(page.locator("#updates")).to_contain_text("Completion accepted for the side of")
    expect(page.locator(f"#side-{mine.pk}")).to_contain_text("Completed")
    expect(page.locator(f"#side-review-{mine.pk}")).to_have_count(0)
    no_sideways_scroll(page)
    shoot(page, "sides-accepted", width)
    assert CommitmentSide.objects.get(pk=mine.pk).status == S.COMPLETED
    assert CommitmentSide.objects.get(pk=other.pk).status == other.status
