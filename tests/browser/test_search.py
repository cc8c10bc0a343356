"""The search box: "/" opens it from any page, any case of a Cyrillic word finds it."""

import re

from playwright.sync_api import expect


def test_slash_opens_search_and_a_lower_case_word_finds_the_demo(demo_site, sign_in):
    page = sign_in("manager", "manager-demo-2026")
    page.keyboard.press("/")
    expect(page).to_have_url(re.compile(r"/search/$"))
    page.keyboard.press("/")
    expect(page.locator("#search-page-q")).to_be_focused()
    page.keyboard.type("гидрологическ")
    page.keyboard.press("Enter")
    results = page.get_by_role("region", name="Commitments")
    expect(results.get_by_role("link", name=re.compile("Обмен гидрологическими"))).to_be_visible()
    expect(page.locator("mark").first).to_be_visible()
