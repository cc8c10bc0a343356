"""Importing a protocol in a real browser: the secretariat uploads the sample protocol of
the 14th session, corrects an agency and a deadline in the preview, confirms, and finds
the commitments in the list. Then the preview in Russian on a phone and a laptop, with
screenshots (tests/browser/screenshots/, not committed)."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from council.models import Agency, Commitment, Session

from ..imports import samples
from ..test_i18n import compiled_catalogues

pytestmark = [pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parent / "screenshots"
NAME = "Протокол 14-го заседания.docx"


@pytest.fixture
def protocol_file(tmp_path):
    path = tmp_path / NAME
    path.write_bytes(samples.protocol_docx())
    return path


def fourteenth():
    return Session.objects.get(number=14)


def test_import_correct_confirm_and_find_in_the_list(demo_site, sign_in, protocol_file):
    session = fourteenth()
    page = sign_in("secretariat", "secretariat-demo-2026")
    page.goto(demo_site.url + reverse("council:session-detail", args=[session.pk]))
    page.get_by_role("link", name="Import clauses").click()
    page.get_by_label("Protocol or plan of measures").set_input_files(str(protocol_file))
    page.get_by_role("button", name="Read the file").click()

    expect(page.get_by_role("heading", name="Check the imported clauses")).to_be_visible()
    row = page.locator(".import-row", has_text="Агентству по защите и развитию конкуренции")
    expect(row.get_by_text("Agency not recognised")).to_be_visible()
    # Correct it in place: the Ministry of Foreign Affairs of Kazakhstan leads.
    mfa = Agency.objects.get(party__code="KZ", short_name_ru="МИД")
    agency = row.get_by_label("Agency of clause 1.3").first
    options = agency.evaluate("(select) => [...select.options].map(o => [o.value, o.text])")
    names = {str(mfa.pk), mfa.name_en, mfa.name_ru}
    value = next((v for v, text in options if v in names or text.strip() in names), None)
    if value is None:
        value = next((v for v, text in options if mfa.name_ru in text or mfa.name_en in text), None)
    assert value, options
    agency.select_option(value)
    # Clause 7's deadline ("по согласованию Сторон") is not understood: choose one.
    last = page.locator(".import-row", has_text="по согласованию Сторон")
    last.get_by_label("Deadline", exact=True).select_option("next_session")
    page.get_by_role("button", name="Confirm and save").click()

    expect(page.get_by_text("14 added")).to_be_visible()
    expect(page.get_by_text("Разработать Дорожную карту").first).to_be_visible()
    assert Commitment.objects.filter(session=session).count() == 14
    saved = Commitment.objects.get(session=session, clause="1.3")
    assert list(saved.responsibilities.values_list("agency", flat=True)) == [mfa.pk]
    assert Commitment.objects.get(session=session, clause="7").deadline_kind == "next_session"


@pytest.mark.parametrize("width", [390, 1366])
def test_the_preview_in_russian(demo_site, browser, protocol_file, width):
    compiled_catalogues()
    session = fourteenth()
    context = browser.new_context(
        viewport={"width": width, "height": 900}, is_mobile=width < 500, locale="ru-RU"
    )
    try:
        page = context.new_page()
        page.goto(demo_site.url + reverse("login"))
        page.locator("#id_username").fill("secretariat")
        page.locator("#id_password").fill("secretariat-demo-2026")
        page.locator("#id_password").press("Enter")
        page.goto(demo_site.url + reverse("council:dashboard"))
        size = page.viewport_size
        page.set_viewport_size({"width": 1366, "height": 900})  # the switcher unfolded
        page.locator("#language-select").select_option("ru")
        page.locator("#language-select").press("Tab")
        page.keyboard.press("Enter")
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        page.set_viewport_size(size)
        page.goto(demo_site.url + reverse("council:import-upload", args=[session.pk]))
        page.get_by_label("Протокол или план мероприятий").set_input_files(str(protocol_file))
        page.get_by_role("button", name="Прочитать файл").click()
        expect(page.get_by_role("heading", name="Проверка импортируемых пунктов")).to_be_visible()
        expect(page.get_by_text("Ведомство не распознано").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"import-preview-ru-{width}.png"), full_page=False)
        page.locator(".import-row").nth(1).scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"import-preview-ru-{width}-rows.png"))
    finally:
        context.close()
