"""A session recorded from nothing in a real browser, then followed to done.

The secretariat records a session, builds and reorders its agenda in place, adds two
commitments with their responsible agencies, records the signed protocol and uploads
its signed PDF; the KZ focal point reports completion in place on the commitment page;
the manager accepts it from the dashboard. A second, small test drives the commitment
list's filters (htmx swap + ``history.pushState``) and the browser's Back button.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from council import roles
from council.models import (
    AgendaItem,
    Commitment,
    Protocol,
    ProtocolFile,
    Responsibility,
    Session,
    StatusUpdate,
    User,
)

from ..factories import (
    AgencyFactory,
    CommitmentFactory,
    CouncilFactory,
    PartyFactory,
    PersonFactory,
    ResponsibilityFactory,
    SessionFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
COUNCIL = "Kazakhstan–Kyrgyzstan Intergovernmental Council"
SHORT = "KZ–KG IGC"


def tiny_pdf(text: str) -> bytes:
    """A minimal but well-formed one-page PDF (correct xref offsets) showing ``text``."""
    content = f"BT /F1 12 Tf 20 50 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def field(label: str) -> re.Pattern:
    """A field's exact label, with or without the required-field asterisk."""
    return re.compile(rf"^{re.escape(label)}(\s*\*)?$")


def mark_document(page: Page) -> None:
    """Tag the current document; the tag survives htmx swaps but not a page load."""
    page.evaluate("window.__no_reload_marker = true")


def assert_same_document(page: Page) -> None:
    assert page.evaluate("window.__no_reload_marker === true"), "the page was reloaded"


@pytest.fixture
def watched(sign_in):
    """``sign_in`` whose pages record uncaught script errors and server errors."""
    problems: list[str] = []

    def login(username: str, password: str) -> Page:
        page = sign_in(username, password)
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on(
            "response",
            lambda r: (
                r.status >= 500 and problems.append(f"{r.status} on {r.request.method} {r.url}")
            ),
        )
        return page

    login.problems = problems
    return login


@pytest.fixture
def council_people():
    """A KZ–KG council, an agency on each side, people, and one user per role."""
    roles.roles_sync()
    kz = PartyFactory(code="KZ", name="Republic of Kazakhstan", short_name="Kazakhstan")
    kg = PartyFactory(code="KG", name="Kyrgyz Republic", short_name="Kyrgyzstan")
    council = CouncilFactory(name=COUNCIL, short_name=SHORT, parties=[kz, kg])
    industry_kz = AgencyFactory(party=kz, name="Ministry of Industry", short_name="MinInd")
    energy_kg = AgencyFactory(party=kg, name="Ministry of Energy", short_name="MinEn")
    PersonFactory(name="Olzhas Bektenov", party=kz, position="Prime Minister")
    PersonFactory(name="Adylbek Kasymaliev", party=kg, position="Chairman of the Cabinet")

    def user(username, group, agency=None):
        created = User.objects.create_user(
            username, f"{username}@example.org", PASSWORD, agency=agency, language="en"
        )
        created.groups.add(Group.objects.get(name=group))
        return created

    secretary = user("secretary", roles.SECRETARIAT)
    council.secretariat_staff.add(secretary)
    return {
        "council": council,
        "kz_agency": industry_kz,
        "kg_agency": energy_kg,
        "secretary": secretary,
        "focal": user("focal", roles.FOCAL_POINT, industry_kz),
        # Responsible for the first commitment only: the second one must offer no form.
        "focal_kg": user("focal.kg", roles.FOCAL_POINT, energy_kg),
        "manager": user("manager", roles.MANAGER),
    }


# The secretariat's steps ------------------------------------------------------------------


def record_session(page: Page, start: datetime.date) -> None:
    page.get_by_role("link", name="Councils", exact=True).click()
    page.get_by_role("link", name=COUNCIL).click()
    expect(page.get_by_role("heading", name=COUNCIL)).to_be_visible()
    page.get_by_role("link", name="Record a session").click()
    expect(page.get_by_role("heading", name="Record a session")).to_be_visible()
    expect(page.get_by_label("Number")).to_have_value("1")  # the next free number
    page.get_by_label("Number").fill("7")
    page.get_by_label("Status").select_option("held")
    page.get_by_label("Start date").fill(start.isoformat())
    page.get_by_label("End date").fill((start + datetime.timedelta(days=1)).isoformat())
    page.get_by_label("City").fill("Bishkek")
    page.get_by_label("Host party").select_option(label="Kyrgyzstan")
    page.get_by_label("Venue").fill("Ala-Archa State Residence")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("status").filter(has_text="is recorded")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Session 7 of the {COUNCIL}")).to_be_visible()


def add_agenda_item(page: Page, title: str) -> None:
    agenda = page.locator("#agenda")
    # A <details> disclosure; after each htmx swap it is rendered closed again.
    agenda.locator("summary", has_text="Add an agenda item").click()
    form = agenda.locator("form[hx-post$='/agenda/new/']")
    form.get_by_label("Title").fill(title)
    with page.expect_response(lambda r: r.url.endswith("/agenda/new/")) as response:
        form.get_by_role("button", name="Add to the agenda").click()
    assert response.value.status == 200
    assert response.value.request.headers.get("hx-request") == "true"
    expect(agenda.locator("li .fw-semibold", has_text=title)).to_be_visible()


def move_agenda_item(page: Page, title: str, direction: str) -> None:
    with page.expect_response(lambda r: r.url.endswith("/move/")) as response:
        page.get_by_role("button", name=f"Move “{title}” {direction}").click()
    assert response.value.status == 200
    assert response.value.request.headers.get("hx-request") == "true"


def add_commitment(page: Page, clause, title, deadline, agenda_item, agencies) -> None:
    page.get_by_role("link", name="Add a commitment").click()
    expect(page.get_by_role("heading", name="Add a commitment")).to_be_visible()
    page.get_by_label("Protocol clause").fill(clause)
    page.get_by_label("Short title").fill(title)
    page.get_by_label("Text as adopted").fill(f"The Parties shall {title.lower()}.")
    page.get_by_label("Agenda item").select_option(label=agenda_item)
    page.get_by_label(field("Deadline")).select_option("date")
    page.get_by_label("Deadline date").fill(deadline.isoformat())
    for index, (agency, role) in enumerate(agencies):  # formset prefix "agencies"
        page.locator(f"#id_agencies-{index}-agency").select_option(label=agency)
        page.locator(f"#id_agencies-{index}-role").select_option(role)
    page.get_by_role("button", name="Save commitment").click()
    expect(page.get_by_role("status").filter(has_text="Commitment recorded.")).to_be_visible()
    expect(page.get_by_role("heading", name=f"{clause} {title}")).to_be_visible()
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name=f"{SHORT}, session 7"
    ).click()
    expect(page.get_by_role("heading", name=f"Session 7 of the {COUNCIL}")).to_be_visible()


# The focal point's and the manager's steps --------------------------------------------------


def progress_region(page: Page):
    return page.get_by_role("region", name="Progress and status")


def current_status_badge(page: Page):
    """The "Current status" badge inside the in-place progress form."""
    # The commitment's status, then the reporting side's own when the clause binds
    # several parties: the side's is what the reporter moves.
    return progress_region(page).locator("form p", has_text="Current status").locator(".badge").last


def timeline(page: Page):
    return page.get_by_role("list", name="Status timeline")


def test_secretariat_records_session_focal_point_reports_manager_accepts(
    live_server, watched, council_people, tmp_path
):
    today = timezone.localdate()
    start = today - datetime.timedelta(days=10)
    deadline = today + datetime.timedelta(days=90)

    # 1. The secretariat records session 7 from the council page ------------------------
    page = watched("secretary", PASSWORD)
    record_session(page, start)
    session = Session.objects.get(council=council_people["council"], number=7)
    assert (session.status, session.city, session.start_date) == ("held", "Bishkek", start)

    # 2. Two agenda items through the in-page htmx form, then reordered in place ---------
    mark_document(page)
    add_agenda_item(page, "Trade and investment")
    add_agenda_item(page, "Water and energy")
    titles = page.locator("#agenda li .fw-semibold")
    expect(titles).to_have_text(["Trade and investment", "Water and energy"])
    expect(page.get_by_role("button", name="Move “Trade and investment” up")).to_be_disabled()

    move_agenda_item(page, "Water and energy", "up")
    expect(titles).to_have_text(["Water and energy", "Trade and investment"])
    assert list(session.agenda_items.order_by("order").values_list("title", flat=True)) == [
        "Water and energy",
        "Trade and investment",
    ]
    move_agenda_item(page, "Water and energy", "down")
    expect(titles).to_have_text(["Trade and investment", "Water and energy"])
    expect(page.get_by_role("button", name="Move “Water and energy” down")).to_be_disabled()
    assert_same_document(page)  # every agenda change was swapped into #agenda in place
    assert list(AgendaItem.objects.filter(session=session).values_list("order", flat=True)) == [
        1,
        2,
    ]

    # 3. Two commitments with their responsible agencies ---------------------------------
    add_commitment(
        page,
        "1.1",
        "Open a joint trade house",
        deadline,
        "1. Trade and investment",
        [("MinInd (KZ)", "lead"), ("MinEn (KG)", "co_executor")],
    )
    add_commitment(
        page,
        "1.2",
        "Agree the water and energy balance",
        deadline,
        "2. Water and energy",
        [("MinInd (KZ)", "lead")],
    )
    commitments = page.get_by_role("region", name="Commitments adopted")
    expect(commitments.get_by_role("link", name="1.1 Open a joint trade house")).to_be_visible()
    expect(
        commitments.get_by_role("link", name="1.2 Agree the water and energy balance")
    ).to_be_visible()
    first = Commitment.objects.get(session=session, clause="1.1")
    second = Commitment.objects.get(session=session, clause="1.2")
    assert sorted(
        Responsibility.objects.filter(commitment=first).values_list("agency__short_name", "role")
    ) == [("MinEn", "co_executor"), ("MinInd", "lead")]
    assert list(
        Responsibility.objects.filter(commitment=second).values_list("agency__short_name", "role")
    ) == [("MinInd", "lead")]
    assert first.agenda_item.title == "Trade and investment"

    # 4. The protocol: Protocol → Record the protocol, signed, with a signatory ----------
    page.get_by_role("link", name="Protocol", exact=True).click()
    expect(page.get_by_text("No protocol is recorded for this session yet.")).to_be_visible()
    page.get_by_role("link", name="Record the protocol").click()
    expect(page.get_by_role("heading", name="Record the protocol")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value(f"Protocol of the {SHORT}, session 7")
    page.get_by_label(field("Number")).fill("No. 7")
    page.get_by_label("Status").select_option("signed")
    page.get_by_label("Signed on").fill(start.isoformat())
    page.get_by_label("Place of signing").fill("Bishkek")
    page.locator("#id_signatories-0-person").select_option(label="Olzhas Bektenov")
    page.locator("#id_signatories-1-person").select_option(label="Adylbek Kasymaliev")
    page.get_by_role("button", name="Save protocol").click()
    expect(page.get_by_role("status").filter(has_text="The protocol is saved.")).to_be_visible()
    expect(page.get_by_text("Olzhas Bektenov, Prime Minister")).to_be_visible()
    expect(page.get_by_text("Adylbek Kasymaliev, Chairman of the Cabinet")).to_be_visible()
    protocol = Protocol.objects.get(session=session)
    assert (protocol.status, protocol.signed_on, protocol.number) == ("signed", start, "No. 7")

    # 5. The signed PDF, uploaded on the protocol page and downloaded back ---------------
    signed_pdf = tiny_pdf("Protocol of session 7, signed")
    pdf_path = tmp_path / "protocol-7-signed.pdf"
    pdf_path.write_bytes(signed_pdf)
    files = page.get_by_role("region", name="Signed files")
    expect(files.get_by_text("No files uploaded.")).to_be_visible()
    upload = files.locator("form", has=page.get_by_role("heading", name="Upload a file"))
    upload.get_by_label("Kind").select_option("signed")
    upload.get_by_label(field("Language")).fill("ru")
    upload.get_by_label(field("File")).set_input_files(str(pdf_path))
    upload.get_by_role("button", name="Upload").click()
    expect(
        page.get_by_role("status").filter(has_text="protocol-7-signed.pdf is uploaded.")
    ).to_be_visible()
    link = files.get_by_role("link", name="protocol-7-signed.pdf")
    expect(link).to_be_visible()
    expect(files).to_contain_text("Signed copy · ru")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "protocol-7-signed.pdf"
    assert Path(download.path()).read_bytes() == signed_pdf
    # The link answered directly (the page's cookies): the PDF bytes, as a PDF.
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body() == signed_pdf
    stored = ProtocolFile.objects.get(protocol=protocol)
    assert (stored.original_name, stored.uploaded_by.username) == (
        "protocol-7-signed.pdf",
        "secretary",
    )

    # 6. The KZ focal point reports completion of 1.1 in place ---------------------------
    page = watched("focal", PASSWORD)
    page.get_by_role("region", name="My open commitments").get_by_role(
        "link", name="1.1 Open a joint trade house"
    ).click()
    expect(page.get_by_role("heading", name="1.1 Open a joint trade house")).to_be_visible()
    url = page.url
    expect(current_status_badge(page)).to_have_text("Not started")
    expect(timeline(page)).to_contain_text("No progress reported yet.")
    mark_document(page)
    evidence = tmp_path / "opening-act.pdf"
    evidence_pdf = tiny_pdf("Act of opening of the trade house")
    evidence.write_bytes(evidence_pdf)
    region = progress_region(page)
    region.get_by_label("What has been done").fill("The trade house opened in Almaty.")
    region.get_by_label("Attachment").set_input_files(str(evidence))
    region.get_by_label("New status").select_option(label="Completion reported")
    with page.expect_response(lambda r: r.url.endswith("/report/")) as response:
        region.get_by_role("button", name="Save report").click()
    assert response.value.status == 200
    assert response.value.request.headers.get("hx-request") == "true"
    expect(
        region.get_by_role("status").filter(has_text="Status changed to “Completion reported”.")
    ).to_be_visible()
    expect(current_status_badge(page)).to_have_text("Completion reported")
    expect(timeline(page)).to_contain_text("The trade house opened in Almaty.")
    expect(timeline(page).locator(".badge").last).to_have_text("Completion reported")
    expect(timeline(page).get_by_role("link", name="opening-act.pdf")).to_be_visible()
    expect(timeline(page)).not_to_contain_text("No progress reported yet.")
    assert page.url == url
    assert_same_document(page)  # the timeline was swapped in place, no navigation
    # The focal point may not accept its own report: nothing left to move to.
    expect(region.get_by_label("New status").locator("option")).to_have_count(1)
    with page.expect_download() as download_info:
        timeline(page).get_by_role("link", name="opening-act.pdf").click()
    assert Path(download_info.value.path()).read_bytes() == evidence_pdf

    # 1.2 is also the KZ agency's (lead): the form is there, but no report was made.
    page.goto(live_server.url + reverse("council:commitment-detail", args=[second.pk]))
    expect(progress_region(page).get_by_role("button", name="Save report")).to_be_visible()

    # A focal point whose agency is not responsible for 1.2 (the KG ministry) gets no form.
    page = watched("focal.kg", PASSWORD)
    page.goto(live_server.url + reverse("council:commitment-detail", args=[second.pk]))
    expect(
        page.get_by_role("heading", name="1.2 Agree the water and energy balance")
    ).to_be_visible()
    expect(timeline(page)).to_be_visible()
    expect(progress_region(page).locator("form[hx-post]")).to_have_count(0)
    expect(page.get_by_role("button", name="Save report")).to_have_count(0)
    expect(page.get_by_label("New status")).to_have_count(0)
    # …while on 1.1, where it is co-executor, it has one.
    page.goto(live_server.url + reverse("council:commitment-detail", args=[first.pk]))
    expect(progress_region(page).get_by_role("button", name="Save report")).to_be_visible()

    # 7. The manager accepts the completion from the dashboard ---------------------------
    page = watched("manager", PASSWORD)
    review = page.get_by_role("region", name="Completions awaiting your review")
    expect(review.get_by_role("listitem")).to_have_count(1)
    # The clause binds both parties: the commitment is in progress, its Kazakh side waits.
    expect(review).to_contain_text("In progress")
    review.get_by_role("link", name="1.1 Open a joint trade house").click()
    expect(page.get_by_role("heading", name="1.1 Open a joint trade house")).to_be_visible()
    mark_document(page)
    region = progress_region(page)
    # The review panel's own button: the manager reports nothing, so no progress form.
    expect(region.get_by_role("button", name="Save report")).to_have_count(0)
    kz_side = first.sides.get(party__code="KZ")
    page.get_by_role("button", name=f"Accept for {kz_side.party}").click()
    expect(
        page.get_by_text(f"Completion accepted for the side of {kz_side.party}.")
    ).to_be_visible()
    latest = timeline(page).locator("li").first
    expect(latest.locator(".badge").last).to_have_text("Completed")
    # A completed commitment leaves the manager nothing to report or move.
    expect(region.get_by_role("button", name="Save report")).to_have_count(0)
    assert_same_document(page)
    page.get_by_role("link", name="Dashboard", exact=True).click()
    expect(page.get_by_role("region", name="Completions awaiting your review")).to_have_count(0)

    # 8. What the database holds ---------------------------------------------------------
    first.refresh_from_db()
    second.refresh_from_db()
    kz_side.refresh_from_db()
    # The Kazakh side is completed; the Kyrgyz side has not started, so the commitment
    # as a whole is still in progress.
    assert (kz_side.status, first.status) == ("completed", Commitment.Status.IN_PROGRESS)
    assert second.status == Commitment.Status.NOT_STARTED
    updates = list(
        StatusUpdate.objects.filter(commitment=first)
        .select_related("author", "agency")
        .order_by("created_at", "pk")
    )
    assert [(u.author.username, u.from_status, u.to_status) for u in updates] == [
        ("focal", "not_started", "completion_reported"),
        ("manager", "completion_reported", "completed"),
    ]
    assert updates[0].agency == council_people["kz_agency"]  # reported for the agency
    assert updates[0].note == "The trade house opened in Almaty."
    assert updates[1].agency is None
    assert [a.original_name for a in updates[0].attachments.all()] == ["opening-act.pdf"]
    assert not StatusUpdate.objects.filter(commitment=second).exists()
    assert watched.problems == []


def test_commitment_list_filters_swap_in_place_and_follow_the_url(
    live_server, watched, council_people
):
    session = SessionFactory(council=council_people["council"], number=6)
    open_one = CommitmentFactory(session=session, clause="2.1", title="Launch the rail link")
    done_one = CommitmentFactory(session=session, clause="2.2", title="Sign the customs deal")
    Commitment.objects.filter(pk=done_one.pk).update(status=Commitment.Status.COMPLETED)
    for commitment in (open_one, done_one):
        ResponsibilityFactory(commitment=commitment, agency=council_people["kz_agency"])

    page = watched("manager", PASSWORD)
    page.get_by_role("link", name="Commitments", exact=True).click()
    expect(page.get_by_role("heading", name="Commitments", exact=True)).to_be_visible()
    list_url = page.url
    results = page.locator("#results")
    expect(results.get_by_role("heading", name="2 commitments")).to_be_visible()
    mark_document(page)

    with page.expect_response(lambda r: "status=completed" in r.url) as response:
        page.get_by_label(field("Status")).select_option("completed")
    assert response.value.request.headers.get("hx-request") == "true"
    expect(results.get_by_role("heading", name="1 commitment")).to_be_visible()
    expect(results.get_by_role("link", name="2.2 Sign the customs deal")).to_be_visible()
    expect(results.get_by_role("link", name="2.1 Launch the rail link")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"[?&]status=completed"))  # history.pushState
    assert "status=" in page.url
    assert_same_document(page)
    assert watched.problems == []

    page.go_back()
    expect(page).to_have_url(list_url)
    assert "status=" not in page.url
    expect(results.get_by_role("heading", name="2 commitments")).to_be_visible()
    expect(results.get_by_role("link", name="2.1 Launch the rail link")).to_be_visible()
    expect(page.get_by_label(field("Status"))).to_have_value("")
    assert_same_document(page)  # htmx restored the earlier state, no reload
    # (Going back raises a script error in static/js/app.js: see the expected failure below.)


# Known defects, kept as strict expected failures: when one is fixed the run says XPASS and
# the marker must go, so the test then guards the fix. ``raises=AssertionError`` keeps any
# other breakage (a timeout, a server error) a real failure.


@pytest.fixture
def one_commitment(council_people):
    session = SessionFactory(council=council_people["council"], number=6)
    commitment = CommitmentFactory(session=session, clause="2.1", title="Launch the rail link")
    ResponsibilityFactory(commitment=commitment, agency=council_people["kz_agency"])
    return commitment


def test_header_badge_follows_an_in_place_status_change(live_server, watched, one_commitment):
    page = watched("focal", PASSWORD)
    page.goto(live_server.url + one_commitment.get_absolute_url())
    header_badge = page.locator("h1 + div .badge").first
    expect(header_badge).to_have_text("Not started")
    region = progress_region(page)
    region.get_by_label("New status").select_option(label="In progress")
    region.get_by_role("button", name="Save report").click()
    expect(current_status_badge(page)).to_have_text("In progress")
    expect(header_badge).to_have_text("In progress", timeout=2_000)


def test_focus_moves_to_the_saved_message_after_an_in_place_report(
    live_server, watched, one_commitment
):
    page = watched("focal", PASSWORD)
    page.goto(live_server.url + one_commitment.get_absolute_url())
    region = progress_region(page)
    region.get_by_label("What has been done").fill("Surveys of the route are done.")
    region.get_by_role("button", name="Save report").click()
    saved = region.get_by_role("status").filter(has_text="Progress report saved.")
    expect(saved).to_be_visible()
    expect(saved).to_be_focused(timeout=2_000)


def test_going_back_through_the_filtered_list_raises_no_script_error(
    live_server, watched, one_commitment
):
    page = watched("manager", PASSWORD)
    page.get_by_role("link", name="Commitments", exact=True).click()
    expect(page.locator("#results")).to_contain_text("2.1 Launch the rail link")
    page.get_by_label(field("Status")).select_option("completed")
    expect(page).to_have_url(re.compile(r"[?&]status=completed"))
    expect(page.locator("#results")).to_contain_text("No commitment matches these filters.")
    page.go_back()
    expect(page.locator("#results")).to_contain_text("2.1 Launch the rail link")
    page.wait_for_timeout(300)  # let any afterSwap listener run
    assert watched.problems == []
