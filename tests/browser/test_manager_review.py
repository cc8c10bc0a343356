"""The manager's day in Russian, on a desktop and on a phone: from the dashboard's queue to
a reported completion; returning it without a reason is refused in place (focus on the
error, nothing lost), with a reason it goes back to the focal points; another is
accepted. No page scrolls sideways at 390 px.

Screenshots of the dashboard and the commitment page go to ``screenshots/`` (not kept in
the repository) for a person to look at."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from council import services
from council.models import Commitment, User
from council.policies import Policy

from ..test_i18n import compiled_catalogues

pytestmark = [pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
S = Commitment.Status


@pytest.fixture
def catalogues():
    compiled_catalogues()


# What sticks out past the window's right edge, named, for the failure message.
WIDER_THAN_WINDOW = """
[...document.querySelectorAll("body *")]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 8)
  .map((e) => `${e.tagName}.${e.className}#${e.id} ${Math.round(e.getBoundingClientRect().right)}`)
"""


def no_sideways_scroll(page) -> None:
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth, document.body.scrollWidth]"
    )
    assert widths[0] <= widths[1] and widths[2] <= widths[1], (
        widths,
        page.evaluate(WIDER_THAN_WINDOW),
    )


def shoot(page, name: str, width: int) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-{width}-screen.png")


def switch_to_russian(page, width: int) -> None:
    size = page.viewport_size
    page.set_viewport_size({"width": 1366, "height": 900})  # the switcher unfolded
    page.get_by_label("Interface language").select_option("ru")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("heading", name="Панель")).to_be_visible()
    page.set_viewport_size(size)


def open_queue(page, base: str, width: int):
    """From the dashboard, the queue card to the list filtered to it; the list's rows."""
    page.goto(base + reverse("council:dashboard"))
    card = page.locator("#review-queue-card")
    expect(card).to_contain_text("Выполнение ждёт вашей проверки")
    no_sideways_scroll(page)
    card.click()
    page.wait_for_url("**scope=review**")
    expect(page.get_by_role("heading", name="Поручения", exact=True)).to_be_visible()
    no_sideways_scroll(page)
    shoot(page, "list-ru", width)
    if width < 992:
        # The filters fold behind a button that says how many are set.
        filters = page.get_by_role("button", name="Фильтры")
        expect(filters).to_contain_text("1")
        expect(filters).to_have_attribute("aria-expanded", "false")
        expect(page.get_by_label("Показать", exact=True)).to_be_hidden()
        filters.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_label("Показать", exact=True)).to_be_visible()
    expect(page.get_by_label("Показать", exact=True)).to_have_value("review")
    # Not even the table scrolls sideways: the session and agencies go under the title.
    table = page.locator("#results .table-responsive")
    assert table.evaluate("(e) => e.scrollWidth <= e.clientWidth")
    return page.locator("#results tbody tr")


@pytest.mark.parametrize("width,height", [(1366, 900), (390, 844)])
def test_manager_reviews_completions_from_the_queue_in_russian(
    catalogues, demo_site, sign_in, width, height
):
    # Two commitments of one party each are reported for the manager (one review panel
    # each; a clause binding both parties is reviewed side by side, ``test_sides``).
    one_party = Commitment.objects.filter(status=S.IN_PROGRESS).order_by("pk").first()
    agency = one_party.responsibilities.order_by("pk").first().agency
    first, second = (
        services.commitment_create(
            session=one_party.session,
            fields={
                "clause": clause,
                "title": title,
                "text": "Стороны обеспечат выполнение.",
                "deadline_kind": "next_session",
            },
            responsibilities=[(agency, "lead")],
            by=None,
        )
        for clause, title in (("9.1", "Открыть торговый дом"), ("9.2", "Провести бизнес-форум"))
    )
    for commitment in (first, second):
        services.commitment_change_status(
            commitment=commitment, to=S.COMPLETION_REPORTED, by=None, note="Работа завершена."
        )
    reported = Commitment.objects.filter(status=S.COMPLETION_REPORTED)
    before = reported.count()
    waiting = Policy(User.objects.get(username="manager")).awaiting_review().count()
    assert waiting >= 2
    page = sign_in("manager", "manager-demo-2026")
    page.set_viewport_size({"width": width, "height": height})
    switch_to_russian(page, width)
    expect(page.locator("#review-queue-card .display-6")).to_have_text(str(waiting))
    shoot(page, "dashboard-ru", width)

    # Return one without a reason: refused in place, focus on the field that needs it.
    rows = open_queue(page, demo_site.url, width)
    expect(rows).to_have_count(waiting)
    rows.filter(has_text=first.title).first.get_by_role("link").first.click()
    panel = page.locator("#completion-review")
    expect(panel.get_by_role("heading", name="Заявлено выполнение: ваша проверка")).to_be_visible()
    shoot(page, "commitment-ru", width)
    no_sideways_scroll(page)
    # On a phone the panel comes before the history, right after the text.
    panel_top = panel.bounding_box()["y"]
    assert panel_top < page.locator("#history-heading").bounding_box()["y"]
    shoot(page, "commitment-ru", width)
    returned_url = page.url
    reason = page.get_by_label("Причина возврата")
    reason.fill("   ")
    page.get_by_role("button", name="Вернуть с этой причиной").click()
    error = page.locator("#return-reason-error")
    expect(error).to_have_text(
        "Укажите, почему выполнение возвращается: контактные лица будут действовать по вашему "
        "замечанию."
    )
    reason = page.get_by_label("Причина возврата")
    expect(reason).to_be_focused()
    expect(reason).to_have_attribute("aria-invalid", "true")
    assert page.url == returned_url  # swapped in place, not a new page
    no_sideways_scroll(page)
    shoot(page, "commitment-refused-ru", width)

    # With a reason: back in progress, and the timeline says why.
    reason.fill("Приложите подписанный протокол.")
    page.get_by_role("button", name="Вернуть с этой причиной").click()
    expect(page.get_by_role("status").filter(has_text="Выполнение возвращено")).to_be_visible()
    expect(page.locator("#commitment-status")).to_contain_text("В работе")
    expect(page.locator("#updates")).to_contain_text("Приложите подписанный протокол.")
    expect(page.locator("#completion-review")).to_be_hidden()  # nothing left to review
    assert page.url == returned_url  # all in place

    # Accept another from the queue, which now holds one fewer.
    rows = open_queue(page, demo_site.url, width)
    expect(rows).to_have_count(waiting - 1)
    rows.filter(has_text=second.title).first.get_by_role("link").first.click()
    page.get_by_role("button", name="Принять выполнение").click()
    expect(page.get_by_role("status").filter(has_text="Выполнение принято")).to_be_visible()
    expect(page.locator("#commitment-status")).to_contain_text("Выполнено")
    no_sideways_scroll(page)
    assert reported.count() == before - 2
