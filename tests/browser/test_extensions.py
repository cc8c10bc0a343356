"""Extensions in Russian, on a desktop and on a phone: a focal point asks for a later
deadline; a date not later than the current one is refused in place (the error next to
the field, focus on it, the reason kept); the request goes through; the secretariat sees
it counted on the dashboard and grants it, and the page shows the original deadline next
to the extended one. No page scrolls sideways at 390 px.

Screenshots go to ``screenshots/`` (not kept in the repository) for a person to look at."""

import datetime

import pytest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import override
from playwright.sync_api import expect

from council.models import Commitment, ExtensionRequest

from ..test_i18n import compiled_catalogues
from .conftest import FLOW_WIDTHS, PHONE
from .test_manager_review import no_sideways_scroll, shoot, switch_to_russian

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogues():
    compiled_catalogues()


def _ru(day: datetime.date) -> str:
    with override("ru"):
        return date_format(day, "SHORT_DATE_FORMAT")


@pytest.mark.parametrize("width,height", [(w, 844 if w == PHONE else 900) for w in FLOW_WIDTHS])
def test_focal_point_requests_and_the_secretariat_grants(
    catalogues, demo_site, sign_in, width, height
):
    commitment = Commitment.objects.get(session__number=13, clause="2.2")
    original, current = commitment.original_deadline, commitment.deadline
    url = demo_site.url + reverse("council:commitment-detail", args=[commitment.pk])

    page = sign_in("focal", "focal-demo-2026")
    page.set_viewport_size({"width": width, "height": height})
    switch_to_russian(page, width)
    page.goto(url)
    panel = page.locator("#extensions")
    expect(panel.get_by_role("heading", name="Продление срока")).to_be_visible()
    expect(panel.locator("#extension-summary")).to_have_text(
        f"Первоначально {_ru(original)}, продлено до {_ru(current)}."
    )
    # The demo's granted request is listed with its decision.
    expect(panel).to_contain_text("Продлено")
    no_sideways_scroll(page)
    shoot(page, "extension-commitment-ru", width)

    # A date not later than the current deadline: refused in place, what was typed kept.
    panel.get_by_text("Запросить продление срока").click()
    date_field = panel.get_by_label("Новый срок")
    date_field.fill(current.isoformat())
    reason = panel.get_by_label("Причина")
    reason.fill("Ожидаем заключение Министерства юстиции.")
    before = page.url
    panel.get_by_role("button", name="Отправить запрос").click()
    error = page.locator("#id_new_deadline_error")
    expect(error).to_have_text(f"Новый срок должен быть позже текущего ({_ru(current)}).")
    date_field = page.locator("#extensions").get_by_label("Новый срок")
    expect(date_field).to_be_focused()
    expect(date_field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#extensions").get_by_label("Причина")).to_have_value(
        "Ожидаем заключение Министерства юстиции."
    )
    assert page.url == before
    no_sideways_scroll(page)
    shoot(page, "extension-refused-ru", width)

    # A later date: the request is recorded and listed as awaiting a decision.
    new = current + datetime.timedelta(days=30)
    date_field.fill(new.isoformat())
    page.locator("#extensions").get_by_role("button", name="Отправить запрос").click()
    expect(
        page.get_by_role("status").filter(has_text="Запрос о продлении отправлен")
    ).to_be_visible()
    expect(page.locator("#extensions")).to_contain_text("Ждёт решения")
    request = ExtensionRequest.objects.get(commitment=commitment, status="pending")
    assert request.new_deadline == new

    # The secretariat: counted on the dashboard, listed, granted on the page.
    page = sign_in("secretariat", "secretariat-demo-2026")
    page.set_viewport_size({"width": width, "height": height})
    switch_to_russian(page, width)
    card = page.locator("#extension-queue-card")
    expect(card).to_contain_text("Запросы о продлении срока ждут решения")
    expect(card.locator(".display-6")).to_have_text("2")  # the demo's and this one
    no_sideways_scroll(page)
    shoot(page, "extension-dashboard-ru", width)
    card.click()
    page.wait_for_url("**scope=extensions**")
    expect(page.locator("#results tbody tr")).to_have_count(2)
    page.goto(url)
    panel = page.locator("#extensions")
    panel.get_by_label("Комментарий к решению").first.fill("Согласовано.")
    panel.get_by_role("button", name=f"Продлить до {_ru(new)}").click()
    expect(page.get_by_role("status").filter(has_text="Срок продлён")).to_be_visible()
    expect(page.locator("#extension-summary")).to_have_text(
        f"Первоначально {_ru(original)}, продлено до {_ru(new)}."
    )
    expect(page.locator("#commitment-history")).to_contain_text("Срок продлён")
    # The deadline at the top of the page moves with it, without a reload.
    expect(page.locator("#commitment-deadline")).to_contain_text(_ru(new))
    no_sideways_scroll(page)
    shoot(page, "extension-granted-ru", width)
    commitment.refresh_from_db()
    assert (commitment.original_deadline, commitment.deadline) == (original, new)
