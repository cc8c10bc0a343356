"""Recording a commitment quickly, in Russian, as the secretariat: an agency missing from
the list is added from a dialog next to it (an empty name refused in the dialog first),
and chosen; more responsible agencies are added with "add another"; a deadline "by the
next session" hides the date; the commitment is saved. At phone width the form and the
dialog fit the screen. Screenshots of the form with the dialog open go to
tests/browser/screenshots/ (not kept in git)."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from council.models import Agency, AgendaItem, Commitment, Session

from ..test_i18n import compiled_catalogues

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
NEW_AGENCY = "Министерство цифрового развития Республики Казахстан"


@pytest.fixture
def in_russian(demo_site, sign_in):
    compiled_catalogues()
    problems: list[str] = []

    def open_as_secretariat(width: int = 1366, height: int = 900) -> Page:
        page = sign_in("secretariat", "secretariat-demo-2026")
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on(
            "response",
            lambda r: r.status >= 500 and problems.append(f"{r.status} on {r.url}"),
        )
        page.get_by_label("Interface language").select_option("ru")
        page.get_by_role("button", name="Change language").click()
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        page.set_viewport_size({"width": width, "height": height})
        return page

    open_as_secretariat.problems = problems
    return open_as_secretariat


def session_14() -> Session:
    return Session.objects.get(number=14, status=Session.Status.PLANNED)


def no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_commitment_recorded_with_a_new_agency_and_more_rows(in_russian, demo_site):
    session = session_14()
    page = in_russian()
    page.goto(demo_site.url + reverse("council:commitment-create", args=[session.pk]))
    expect(page.get_by_role("heading", name="Добавить поручение")).to_be_visible()

    page.locator("#id_clause").fill("1.1")
    page.locator("#id_title").fill("Цифровой коридор для торговли")
    page.locator("#id_text").fill("Сторонам создать цифровой торговый коридор.")
    # The sector follows the agenda item chosen.
    trade_item = AgendaItem.objects.get(session=session, sector__code="trade")
    page.locator("#id_agenda_item").select_option(str(trade_item.pk))
    expect(page.locator("#id_sector")).to_have_value(str(trade_item.sector_id))

    # 1. A new agency, from the dialog next to the first row's list.
    first_row = page.locator("[data-formset-row]").nth(0)
    first_row.get_by_role("button", name="+ Новый орган").click()
    dialog = page.get_by_role("dialog", name="Новый орган")
    expect(dialog).to_be_visible()
    name = dialog.locator("#id_quick-agency-name")
    expect(name).to_be_focused()
    # Sent empty, it is refused in the dialog, which stays open with the errors.
    dialog.get_by_role("button", name="Добавить орган").click()
    expect(dialog.locator("#id_quick-agency-name")).to_have_attribute("aria-invalid", "true")
    expect(dialog.locator("#id_quick-agency-name_error")).to_contain_text("Обязательное поле")
    expect(dialog.get_by_role("alert")).to_be_visible()
    kz = session.council.parties.get(code="KZ")
    dialog.locator("#id_quick-agency-party").select_option(str(kz.pk))
    dialog.locator("#id_quick-agency-name").fill(NEW_AGENCY)
    dialog.locator("#id_quick-agency-short_name").fill("МЦР")
    dialog.get_by_role("button", name="Добавить орган").click()
    expect(dialog).to_be_hidden()
    added = Agency.objects.get(name_ru=NEW_AGENCY)
    row_0 = page.locator("#id_agencies-0-agency")
    expect(row_0).to_have_value(str(added.pk))
    expect(row_0).to_be_focused()
    expect(row_0.locator("option:checked")).to_have_text("МЦР (KZ)")
    expect(
        page.get_by_role("status").filter(has_text="Орган «МЦР (KZ)» добавлен и выбран.")
    ).to_be_visible()
    # The other rows offer it too.
    expect(page.locator(f"#id_agencies-1-agency option[value='{added.pk}']")).to_have_count(1)

    # 2. Three more rows with "add another"; one of them removed again.
    add_another = page.get_by_role("button", name="Добавить ещё орган")
    for _ in range(3):
        add_another.click()
    expect(page.locator("[data-formset-rows] [data-formset-row]")).to_have_count(5)
    expect(page.locator("#id_agencies-4-agency")).to_be_focused()
    kg_energy = Agency.objects.get(
        party__code="KG", name_en="Ministry of Energy of the Kyrgyz Republic"
    )
    kz_mti = Agency.objects.get(party__code="KZ", short_name_en="MTI")
    kg_mec = Agency.objects.get(party__code="KG", short_name_en="MEC")
    page.locator("#id_agencies-1-agency").select_option(str(kg_energy.pk))
    page.locator("#id_agencies-2-agency").select_option(str(kz_mti.pk))
    page.locator("#id_agencies-2-role").select_option("co_executor")
    page.locator("#id_agencies-3-agency").select_option(str(kg_mec.pk))
    page.locator("#id_agencies-3-role").select_option("co_executor")
    page.locator("[data-formset-row]").nth(4).get_by_role(
        "button", name="Убрать эту строку"
    ).click()
    expect(page.locator("[data-formset-rows] [data-formset-row]")).to_have_count(4)

    # 3. By the next session: no date asked.
    date = page.locator("#id_deadline")
    expect(date).to_be_visible()
    page.locator("#id_deadline_kind").select_option("next_session")
    expect(date).to_be_hidden()
    page.locator("#id_deadline_kind").select_option("date")
    expect(date).to_be_visible()
    date.fill("2027-03-01")  # typed, then the kind changed: dropped, not refused
    page.locator("#id_deadline_kind").select_option("next_session")
    expect(date).to_be_hidden()

    page.get_by_role("button", name="Сохранить поручение").click()
    expect(page.get_by_role("status").filter(has_text="Поручение внесено.")).to_be_visible()
    expect(page.get_by_role("heading", name="Цифровой коридор для торговли")).to_be_visible()
    commitment = Commitment.objects.get(session=session, clause="1.1")
    assert (commitment.deadline_kind, commitment.deadline) == ("next_session", None)
    assert commitment.sector_id == trade_item.sector_id
    assert set(commitment.responsibilities.values_list("agency_id", "role")) == {
        (added.pk, "lead"),
        (kg_energy.pk, "lead"),
        (kz_mti.pk, "co_executor"),
        (kg_mec.pk, "co_executor"),
    }
    assert added.history.get().history_change_reason == "добавлено из формы заседания"
    assert not in_russian.problems


@pytest.mark.parametrize("width,height", [(390, 844), (1366, 900)])
def test_the_form_and_the_dialog_fit_the_screen(in_russian, demo_site, width, height):
    session = session_14()
    page = in_russian(width, height)
    page.goto(demo_site.url + reverse("council:commitment-create", args=[session.pk]))
    no_horizontal_scroll(page)
    page.get_by_role("button", name="Добавить ещё орган").click()
    no_horizontal_scroll(page)
    page.locator("[data-formset-row]").nth(0).get_by_role("button", name="+ Новый орган").click()
    dialog = page.get_by_role("dialog", name="Новый орган")
    expect(dialog.locator("#id_quick-agency-name")).to_be_focused()
    dialog.get_by_role("button", name="Добавить орган").click()  # empty: errors shown
    expect(dialog.locator("#id_quick-agency-name")).to_have_attribute("aria-invalid", "true")
    box = dialog.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    no_horizontal_scroll(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"commitment-form-dialog-ru-{width}.png"))
    # Escape closes it, and the form is as it was.
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    # The pages leading to session 14 fit too.
    for url in (session.council.get_absolute_url(), session.get_absolute_url()):
        page.goto(demo_site.url + url)
        no_horizontal_scroll(page)
    expect(page.get_by_role("link", name="Отметить как состоявшееся")).to_be_visible()
    assert not in_russian.problems
