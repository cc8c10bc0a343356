"""The language switcher in a real browser: sign in, switch to Russian, and the choice
follows the user to their next sign-in."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from council.models import User

from ..test_i18n import compiled_catalogues

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogues():
    compiled_catalogues()


def test_switch_to_russian_and_keep_it(catalogues, demo_site, sign_in, browser):
    page = sign_in("secretariat", "secretariat-demo-2026")

    # The switcher works from the keyboard: a labelled select, then its button.
    switcher = page.get_by_label("Interface language")
    expect(switcher).to_have_value("en")
    switcher.focus()
    switcher.select_option("ru")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Change language")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Панель")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("link", name="Советы")).to_be_visible()
    expect(page.get_by_label("Язык интерфейса")).to_have_value("ru")
    assert User.objects.get(username="secretariat").language == "ru"

    # A fresh browser has no language cookie: signing in brings the profile's back.
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(demo_site.url + reverse("login"))
        page.get_by_label("Username").fill("secretariat")
        page.get_by_label("Password").fill("secretariat-demo-2026")
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Панель")).to_be_visible()
        expect(page.get_by_role("heading", name="Мои открытые поручения")).to_be_visible()
    finally:
        context.close()


def test_switching_language_keeps_the_filters_chosen_on_the_page(catalogues, demo_site, sign_in):
    page = sign_in("manager", "manager-demo-2026")
    page.goto(demo_site.url + reverse("council:commitment-list"))
    page.get_by_label("Status").select_option("in_progress")  # htmx: results and address change
    page.wait_for_url("**status=in_progress**")
    page.get_by_label("Interface language").select_option("ru")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_url("**status=in_progress**")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_label("Статус")).to_have_value("in_progress")
