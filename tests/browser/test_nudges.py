"""Sides in the browser, in Russian, on a phone and on a desktop: the secretariat reminds
the Kyrgyz side now (a second time the same day is refused in place, the note kept), and
the Kyrgyz focal point flags their side at risk (refused without a reason, then shown
next to the status). No page scrolls sideways at 390 px.

Screenshots go to ``screenshots/`` (not kept in the repository) for a person to look at."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from council.models import Commitment

from .conftest import FLOW_WIDTHS
from .test_manager_review import catalogues, no_sideways_scroll, shoot, switch_to_russian  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", FLOW_WIDTHS)
def test_remind_now_and_flag_at_risk(demo_site, sign_in, catalogues, width):  # noqa: F811
    commitment = Commitment.objects.get(session__number=13, clause="2.4")
    url = demo_site.url + reverse("council:commitment-detail", args=[commitment.pk])

    page = sign_in("secretariat", "secretariat-demo-2026")
    page.set_viewport_size({"width": width, "height": 900})
    switch_to_russian(page, width)
    page.goto(url)
    panel = page.locator("#remind-now")
    expect(panel.get_by_role("heading", name="Напомнить стороне сейчас")).to_be_visible()
    panel.get_by_label(re.compile("Примечание для контактных лиц стороны Кыргызстан")).fill(
        "Просим сообщить о ходе работ до пятницы."
    )
    panel.get_by_role("button", name="Напомнить стороне: Кыргызстан").click()
    panel = page.locator("#remind-now")
    expect(panel.get_by_role("status")).to_contain_text("Напоминание отправлено 1")
    expect(panel.locator("li", has_text="Просим сообщить о ходе работ")).to_be_visible()
    # The same day again: refused in place, what was typed kept, focus on the message.
    note = panel.get_by_label(re.compile("Примечание для контактных лиц стороны Кыргызстан"))
    note.fill("Повторно: ждём отчёт.")
    panel.get_by_role("button", name="Напомнить стороне: Кыргызстан").click()
    alert = page.locator("#remind-now").get_by_role("alert")
    expect(alert).to_contain_text("сегодня уже напоминали")
    expect(alert).to_contain_text("Следующее напоминание можно отправить завтра")
    expect(
        page.locator("#remind-now").get_by_label(re.compile("стороны Кыргызстан"))
    ).to_have_value("Повторно: ждём отчёт.")
    no_sideways_scroll(page)
    alert.scroll_into_view_if_needed()
    shoot(page, "remind-now-refused-ru", width)

    focal = sign_in("focal.kg", "focal-kg-demo-2026")
    focal.set_viewport_size({"width": width, "height": 900})
    switch_to_russian(focal, width)
    focal.goto(url)
    risk = focal.locator("#risk-flags")
    expect(risk.get_by_role("heading", name="Стороны под угрозой")).to_be_visible()
    expect(focal.locator("#remind-now form")).to_have_count(0)  # not the focal point's
    # Only their own side is theirs to flag. The demo's flag on it is cleared first.
    expect(risk.get_by_text("Отметить сторону Казахстан как под угрозой")).to_have_count(0)
    expect(risk).to_contain_text("Токтогульской ГЭС")
    risk.get_by_text("Снять отметку", exact=True).click()
    risk.get_by_label("Примечание (необязательно)").fill("Ремонт перенесён на март.")
    risk.get_by_role("button", name=re.compile("Снять отметку")).click()
    risk = focal.locator("#risk-flags")
    expect(risk.get_by_role("status")).to_contain_text("Отметка о риске стороны Кыргызстан снята")
    expect(focal.locator("#commitment-status [data-at-risk]")).to_have_count(0)
    risk.get_by_text("Отметить сторону Кыргызстан как под угрозой").click()
    risk.get_by_role("button", name=re.compile("Отметить угрозу")).click()
    risk = focal.locator("#risk-flags")
    expect(risk.get_by_role("alert")).to_contain_text("Укажите, почему сторона под угрозой")
    reason = risk.get_by_label(re.compile("Почему под угрозой"))
    expect(reason).to_have_attribute("aria-invalid", "true")
    reason.fill("Не выделено финансирование на строительство линии в 2026 году.")
    risk.get_by_role("button", name=re.compile("Отметить угрозу")).click()
    expect(focal.locator("#risk-flags").get_by_role("status")).to_contain_text(
        "Сторона Кыргызстан отмечена как под угрозой"
    )
    expect(focal.locator("#commitment-status [data-at-risk]")).to_have_text("Под угрозой: KG")
    no_sideways_scroll(focal)
    shoot(focal, "risk-flagged-ru", width)
    # The list shows it next to the status too.
    focal.goto(demo_site.url + reverse("council:commitment-list") + "?q=2.4")
    expect(focal.locator("[data-at-risk] >> visible=true").first).to_be_visible()
    no_sideways_scroll(focal)
