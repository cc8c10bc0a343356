"""No refusal is silent: every htmx form that the server refuses shows why, in place,
keeps what was typed and moves focus to the first error; a refusal that is not about the
form (403, 404, 500, no network) shows an alert instead of leaving the screen unchanged.

htmx 2 does not swap 4xx answers unless told to: before the fix a 422 left the form as it
was, and the person believed it saved.
"""

import datetime
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from council import roles
from council.models import AgendaItem, Review, StatusUpdate, User

from ..factories import (
    AgencyFactory,
    CommitmentFactory,
    CouncilFactory,
    PartyFactory,
    ResponsibilityFactory,
    SessionFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password"
# Screenshots to look at after a run.
SHOTS = str(Path(tempfile.gettempdir()) / "wp-htmx-{}.png")


@pytest.fixture
def scene():
    roles.roles_sync()
    kz, kg = PartyFactory(code="KZ"), PartyFactory(code="KG")
    council = CouncilFactory(short_name="KZ–KG", parties=[kz, kg])
    agency = AgencyFactory(party=kz)
    today = timezone.localdate()
    earlier = SessionFactory(council=council, number=12, start_date=today - datetime.timedelta(400))
    session = SessionFactory(council=council, number=13, start_date=today - datetime.timedelta(3))
    reviewed = CommitmentFactory(session=earlier, clause="1.1", title="Open a trade house")
    ResponsibilityFactory(commitment=reviewed, agency=agency)
    commitment = CommitmentFactory(session=session, clause="2.1", title="Agree an energy balance")
    ResponsibilityFactory(commitment=commitment, agency=agency)
    item = AgendaItem.objects.create(session=session, order=1, title="Trade")
    secretary = User.objects.create_user(
        "secretary", "secretary@example.org", PASSWORD, agency=agency, language="en"
    )
    secretary.groups.add(Group.objects.get(name=roles.SECRETARIAT))
    council.secretariat_staff.add(secretary)
    return {
        "council": council,
        "session": session,
        "commitment": commitment,
        "reviewed": reviewed,
        "item": item,
        "secretary": secretary,
    }


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_progress_report_refused_shows_why_and_keeps_input(live_server, sign_in, scene):
    page = sign_in("secretary", PASSWORD)
    commitment = scene["commitment"]
    page.goto(live_server.url + reverse("council:commitment-detail", args=[commitment.pk]))
    # Cancelling needs a reason: the service refuses, the view answers 422.
    page.get_by_label("New status").select_option("cancelled")
    page.get_by_role("button", name="Save report").click()
    summary = page.locator("#updates [role=alert]")
    expect(summary).to_contain_text("Say why the commitment becomes")
    expect(summary).to_be_focused()
    expect(page.get_by_label("New status")).to_have_value("cancelled")
    page.screenshot(path=SHOTS.format("progress-refused"), full_page=True)
    assert not StatusUpdate.objects.filter(commitment=commitment).exists()

    # Nothing chosen and nothing written: refused again, the message in place.
    page.get_by_label("New status").select_option("")
    page.get_by_role("button", name="Save report").click()
    expect(page.locator("#updates [role=alert]")).to_contain_text("Write what has been done")
    expect(page.locator("#updates [role=alert]")).to_be_focused()


def test_agenda_item_refused_shows_error_at_the_field(live_server, sign_in, scene):
    page = sign_in("secretary", PASSWORD)
    session = scene["session"]
    page.goto(live_server.url + reverse("council:session-detail", args=[session.pk]))
    page.get_by_text("Add an agenda item").click()
    form = page.locator("#agenda form[hx-post$='/agenda/new/']")
    form.get_by_label("Summary of discussion").fill("Typed, then refused: must stay.")
    form.get_by_role("button", name="Add to the agenda").click()
    form = page.locator("#agenda form[hx-post$='/agenda/new/']")
    title = form.get_by_label("Title")
    expect(form.get_by_text("This field is required.")).to_be_visible()
    expect(title).to_be_focused()
    expect(title).to_have_attribute("aria-invalid", "true")
    described = title.get_attribute("aria-describedby")
    expect(page.locator(f"#{described}")).to_have_text("This field is required.")
    expect(form.get_by_label("Summary of discussion")).to_have_value(
        "Typed, then refused: must stay."
    )
    page.screenshot(path=SHOTS.format("agenda-refused"), full_page=True)
    assert session.agenda_items.count() == 1


def test_agenda_item_edit_refused_stays_in_its_row(live_server, sign_in, scene):
    page = sign_in("secretary", PASSWORD)
    session, item = scene["session"], scene["item"]
    page.goto(live_server.url + reverse("council:session-detail", args=[session.pk]))
    page.locator(f"#agenda-item-{item.pk}").get_by_role("link", name="Edit").click()
    row = page.locator(f"#agenda-item-{item.pk}")
    row.get_by_label("Title").fill("")
    row.get_by_label("Summary of discussion").fill("Kept after the refusal.")
    row.get_by_role("button", name="Save").click()
    row = page.locator(f"#agenda-item-{item.pk}")
    expect(row.get_by_text("This field is required.")).to_be_visible()
    expect(row.get_by_label("Title")).to_be_focused()
    expect(row.get_by_label("Summary of discussion")).to_have_value("Kept after the refusal.")
    # The agenda is still the agenda (not replaced by the form), so the next save works.
    expect(page.locator("#agenda #agenda-heading")).to_be_visible()
    row.get_by_label("Title").fill("Trade and transit")
    row.get_by_role("button", name="Save").click()
    expect(page.locator(f"#agenda-item-{item.pk}")).to_contain_text("Trade and transit")
    item.refresh_from_db()
    assert item.title == "Trade and transit"


def test_review_decision_refused_shows_error_in_the_row(live_server, sign_in, scene):
    page = sign_in("secretary", PASSWORD)
    session, reviewed = scene["session"], scene["reviewed"]
    page.goto(live_server.url + reverse("council:session-review", args=[session.pk]))
    page.get_by_label("Decision").select_option("extend")
    page.get_by_label("Note").fill("Extended on request of the KZ side.")
    page.get_by_role("button", name="Record decision").click()
    deadline = page.get_by_label("New deadline (if extended)")
    expect(page.get_by_text("Give the new deadline.")).to_be_visible()
    expect(deadline).to_be_focused()
    expect(deadline).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Decision")).to_have_value("extend")
    expect(page.get_by_label("Note")).to_have_value("Extended on request of the KZ side.")
    page.screenshot(path=SHOTS.format("review-refused"), full_page=True)
    assert not Review.objects.filter(commitment=reviewed).exists()


def test_forbidden_answer_shows_an_alert_and_keeps_input(live_server, sign_in, scene):
    page = sign_in("secretary", PASSWORD)
    session = scene["session"]
    page.goto(live_server.url + reverse("council:session-detail", args=[session.pk]))
    # The secretary is taken off the council while the page is open; still a focal point of
    # a party's agency, they may see the session but no longer change it: the server says 403.
    scene["secretary"].groups.add(Group.objects.get(name=roles.FOCAL_POINT))
    scene["council"].secretariat_staff.remove(scene["secretary"])
    page.get_by_text("Add an agenda item").click()
    form = page.locator("#agenda form[hx-post$='/agenda/new/']")
    form.get_by_label("Title").fill("Transit")
    form.get_by_role("button", name="Add to the agenda").click()
    alert = page.locator("#messages [role=alert]")
    expect(alert).to_contain_text("Only the council's secretariat may change this session.")
    expect(alert).to_be_focused()
    expect(form.get_by_label("Title")).to_have_value("Transit")
    page.screenshot(path=SHOTS.format("forbidden"), full_page=True)


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        ("500", "went wrong on the server"),
        ("404", "no longer there"),
        ("network", "could not be reached"),
    ],
)
def test_other_failures_show_an_alert(live_server, sign_in, scene, failure, message):
    page = sign_in("secretary", PASSWORD)
    commitment = scene["commitment"]
    page.goto(live_server.url + reverse("council:commitment-detail", args=[commitment.pk]))
    url = "**" + reverse("council:commitment-report", args=[commitment.pk])
    if failure == "network":
        page.route(url, lambda route: route.abort())
    else:
        page.route(
            url,
            lambda route: route.fulfill(
                status=int(failure), body="<h1>Oops</h1>", content_type="text/html"
            ),
        )
    page.get_by_label("What has been done").fill("Draft agreed with the KG side.")
    page.get_by_role("button", name="Save report").click()
    alert = page.locator("#messages [role=alert]")
    expect(alert).to_contain_text(message)
    expect(alert).to_be_focused()
    expect(page.get_by_label("What has been done")).to_have_value("Draft agreed with the KG side.")
    # A second failure replaces the alert rather than piling them up.
    page.get_by_role("button", name="Save report").click()
    expect(alert).to_have_count(1)


def test_refused_agenda_move_says_why(live_server, sign_in, scene):
    session = scene["session"]
    AgendaItem.objects.create(session=session, order=2, title="Energy")
    page = sign_in("secretary", PASSWORD)
    page.goto(live_server.url + reverse("council:session-detail", args=[session.pk]))
    # The server's answer to a move it cannot make: one sentence, status 400.
    page.route(
        "**/move/",
        lambda route: route.fulfill(
            status=400, body="Say whether to move the item up or down.", content_type="text/html"
        ),
    )
    page.get_by_role("button", name="Move “Energy” up").click()
    alert = page.locator("#messages [role=alert]")
    expect(alert).to_contain_text("The request was not accepted")
    expect(alert).to_contain_text("Say whether to move the item up or down.")
    expect(alert).to_be_focused()
    expect(page.locator("#agenda li").first).to_contain_text("Trade")


def test_signed_out_answer_is_not_swapped_into_the_form(live_server, sign_in, scene):
    page = sign_in("secretary", PASSWORD)
    commitment = scene["commitment"]
    page.goto(live_server.url + reverse("council:commitment-detail", args=[commitment.pk]))
    # The session ends while the page is open (the CSRF cookie stays, as it does).
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    page.get_by_label("What has been done").fill("Typed before the session ended.")
    page.get_by_role("button", name="Save report").click()
    alert = page.locator("#messages [role=alert]")
    expect(alert).to_contain_text("You are signed out")
    expect(alert).to_be_focused()
    expect(page.get_by_label("What has been done")).to_have_value("Typed before the session ended.")
    expect(page.get_by_role("button", name="Log in")).to_have_count(0)
    assert not StatusUpdate.objects.filter(commitment=commitment).exists()


def test_refusal_on_a_phone(live_server, browser, scene):
    # Reduced motion: Bootstrap's smooth scrolling would move the button under the tap.
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, reduced_motion="reduce"
    )
    try:
        page = context.new_page()
        page.goto(live_server.url + reverse("login"))
        page.get_by_label("Username").fill("secretary")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        session = scene["session"]
        page.goto(live_server.url + reverse("council:session-review", args=[session.pk]))
        page.get_by_label("Decision").select_option("extend")
        page.get_by_label("Note").fill("On a phone.")
        # The page itself never scrolls sideways (the review table does, in its box).
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.get_by_role("button", name="Record decision").click()
        deadline = page.get_by_label("New deadline (if extended)")
        expect(page.get_by_text("Give the new deadline.")).to_be_in_viewport()
        expect(deadline).to_be_focused()
        expect(deadline).to_be_in_viewport()
        expect(page.get_by_label("Note")).to_have_value("On a phone.")
        page.screenshot(path=SHOTS.format("phone-review-refused"))

        page.goto(live_server.url + reverse("council:session-detail", args=[session.pk]))
        page.get_by_text("Add an agenda item").click()
        form = page.locator("#agenda form[hx-post$='/agenda/new/']")
        form.get_by_role("button", name="Add to the agenda").click()
        title = page.locator("#agenda form[hx-post$='/agenda/new/']").get_by_label("Title")
        expect(title).to_be_focused()
        expect(title).to_be_in_viewport()
        page.screenshot(path=SHOTS.format("phone-agenda-refused"))
    finally:
        context.close()
