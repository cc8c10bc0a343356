"""Browser tests of the follow-up loop and the reports, on the demo data set."""

import pytest
from playwright.sync_api import expect

from council.models import Review

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_review_of_the_13th_session_decide_and_export(demo_site, sign_in, tmp_path):
    page = sign_in("secretariat", "secretariat-demo-2026")
    page.get_by_role("link", name="Councils").click()
    page.get_by_role(
        "link", name="Kazakhstan–Kyrgyzstan Intergovernmental Council", exact=True
    ).click()
    page.get_by_role("link", name="Session 13").click()
    page.get_by_role("link", name="Review of implementation").first.click()
    expect(page.get_by_role("heading", name="Review of implementation")).to_be_visible()

    # Clause 1.8 of the 12th session still waits for the council's decision. The page
    # shows the clause as recorded, in Russian.
    row = page.locator("tr", has_text="Обмен гидрологическими данными")
    row.get_by_label("Decision").select_option("extend")
    row.get_by_label("New deadline (if extended)").fill("2027-06-30")
    row.get_by_label("Note").fill("Extended to the next growing season.")
    url_before = page.url
    row.get_by_role("button", name="Record decision").click()
    decided = page.locator("tr", has_text="Обмен гидрологическими данными")
    expect(decided).to_contain_text("Deadline extended")
    expect(decided).to_contain_text("Extended to the next growing season.")
    assert page.url == url_before  # swapped in place, no reload
    review = Review.objects.get(commitment__clause="1.8", session__number=13)
    assert review.decision == "extend" and review.decided_by.username == "secretariat"

    # Grouping by agency, the print view, and the Word document.
    page.get_by_role("link", name="By responsible party and agency").click()
    expect(
        page.get_by_role(
            "heading",
            name="Republic of Kazakhstan — Ministry of Water Resources and Irrigation"
            " of the Republic of Kazakhstan",
        )
    ).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download (Word)").click()
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    from docx import Document

    text = "\n".join(c.text for t in Document(path).tables for r in t.rows for c in r.cells)
    # The Word document is in the reader's language (English here): the clause in its
    # English translation, not as recorded.
    assert "Exchange of hydrological data" in text and "Deadline extended" in text
    assert "Обмен гидрологическими данными" not in text


def test_manager_clicks_a_chart_segment_and_lands_on_the_filtered_list(demo_site, sign_in):
    page = sign_in("manager", "manager-demo-2026")
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Reports")).to_be_visible()
    page.locator("svg a[aria-label^='In progress:']").first.click()
    expect(page.get_by_role("heading", name="Commitments", exact=True)).to_be_visible()
    assert "status=in_progress" in page.url
    expect(page.get_by_label("Status")).to_have_value("in_progress")
    badges = page.locator("#results tbody tr")
    assert badges.count() > 0
    for i in range(badges.count()):
        expect(badges.nth(i)).to_contain_text("In progress")
