"""Browser tests of the follow-up loop and the reports, on the demo data set."""

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect, sync_playwright

from council.demo import load_demo
from council.models import Review

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API with live_server

pytestmark = [pytest.mark.django_db(transaction=True)]
CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    if os.environ.get("CI"):
        raise RuntimeError("CI must run the browser tests: install Debian's chromium")
    pytest.skip("needs Debian's Chromium at /usr/bin/chromium", allow_module_level=True)


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo_site(live_server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo()
    return live_server


def login(browser, site, username, password):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(site.url + reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    return page


def test_review_of_the_13th_session_decide_and_export(browser, demo_site, tmp_path):
    page = login(browser, demo_site, "secretariat", "secretariat-demo-2026")
    page.get_by_role("link", name="Councils").click()
    page.get_by_role(
        "link", name="Kazakhstan–Kyrgyzstan Intergovernmental Council", exact=True
    ).click()
    page.get_by_role("link", name="Session 13").click()
    page.get_by_role("link", name="Review of implementation").first.click()
    expect(page.get_by_role("heading", name="Review of implementation")).to_be_visible()

    # Clause 1.8 of the 12th session still waits for the council's decision.
    row = page.locator("tr", has_text="Exchange of hydrological data")
    row.get_by_label("Decision").select_option("extend")
    row.get_by_label("New deadline (if extended)").fill("2027-06-30")
    row.get_by_label("Note").fill("Extended to the next growing season.")
    url_before = page.url
    row.get_by_role("button", name="Record decision").click()
    decided = page.locator("tr", has_text="Exchange of hydrological data")
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
    assert "Exchange of hydrological data" in text and "Deadline extended" in text


def test_manager_clicks_a_chart_segment_and_lands_on_the_filtered_list(browser, demo_site):
    page = login(browser, demo_site, "manager", "manager-demo-2026")
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
