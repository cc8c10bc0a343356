"""A citizen reads the council's public page on a phone, in Russian, without signing in."""

from pathlib import Path

from playwright.sync_api import expect

from council.models import Council

SHOTS = Path(__file__).resolve().parent / "screenshots"


def test_the_public_page_reads_on_a_phone_without_signing_in(demo_site, browser):
    council = Council.objects.get(is_public=True)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{demo_site.url}/public/ru/councils/{council.pk}/")
    expect(page.get_by_role("heading", name="Опубликованные заседания")).to_be_visible()
    page.get_by_role("link", name="Заседание 13").click()
    expect(page.get_by_role("heading", name="Заседание 13", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="CSV")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / "public-session-390.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="Қазақша").click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    context.close()
