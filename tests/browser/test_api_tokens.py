"""A person creates an API token on their phone, copies it once, and the docs load."""

import re
from pathlib import Path

from playwright.sync_api import expect

SHOTS = Path(__file__).resolve().parent / "screenshots"


def test_a_token_is_created_shown_once_and_refusals_show_in_place(demo_site, sign_in):
    page = sign_in("focal", "focal-demo-2026")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(demo_site.url + "/profile/")
    tokens = page.get_by_role("region", name="API tokens")
    tokens.get_by_label("Token name").fill("   ")
    tokens.get_by_role("button", name="Create a token").click()
    expect(page.locator("#id_token-name_error")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / "api-token-refused-390.png", full_page=True)

    page.get_by_label("Token name").fill("ЕСЭДО министерства")
    page.get_by_label("Valid for").select_option("30")
    page.get_by_role("button", name="Create a token").click()
    secret = page.get_by_label("Token", exact=True)
    expect(secret).to_have_value(re.compile(r"^ct_"))
    expect(page.get_by_text("ЕСЭДО министерства", exact=True)).to_be_visible()
    page.screenshot(path=SHOTS / "api-token-created-390.png", full_page=True)
    page.reload()
    expect(page.get_by_label("Token", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Revoke the token ЕСЭДО министерства").click()
    expect(page.get_by_text("Token “ЕСЭДО министерства” revoked.")).to_be_visible()


def test_the_api_docs_load_without_the_internet(demo_site, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 800})
    outside = []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(demo_site.url)
            else (outside.append(route.request.url), route.abort())
        ),
    )
    page = context.new_page()
    page.goto(demo_site.url + "/api/docs")
    expect(page.get_by_text("Council Tracker API")).to_be_visible()
    expect(page.get_by_text("/api/v1/commitments/").first).to_be_visible()
    page.screenshot(path=SHOTS / "api-docs-1366.png")
    context.close()
    assert outside == []
