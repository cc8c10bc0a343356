"""The staff app end to end in a real browser: the secretariat records a session from
nothing, a focal point reports progress, a manager accepts the completion."""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from council import roles
from council.models import Commitment, StatusUpdate, User

from ..factories import AgencyFactory, CouncilFactory, PartyFactory, PersonFactory

pytestmark = [pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people():
    roles.roles_sync()
    kz, kg = (
        PartyFactory(code="KZ", name="Republic of Kazakhstan"),
        PartyFactory(code="KG", name="Kyrgyz Republic"),
    )
    council = CouncilFactory(name="Kazakh–Kyrgyz Council", short_name="KZ–KG", parties=[kz, kg])
    trade_kz = AgencyFactory(party=kz, name="Ministry of Trade", short_name="MoT")
    energy_kz = AgencyFactory(party=kz, name="Ministry of Energy", short_name="MoE")
    economy_kg = AgencyFactory(party=kg, name="Ministry of Economy", short_name="MoEc")
    PersonFactory(name="Olzhas Bektenov", party=kz, position="Prime Minister")

    def user(name, group, agency=None):
        u = User.objects.create_user(
            name, f"{name}@example.org", PASSWORD, agency=agency, language="en"
        )
        u.groups.add(Group.objects.get(name=group))
        return u

    secretary = user("secretary", roles.SECRETARIAT, trade_kz)
    council.secretariat_staff.add(secretary)
    return {
        "council": council,
        "secretary": secretary,
        "focal": user("focal", roles.FOCAL_POINT, trade_kz),
        "other_focal": user("energy", roles.FOCAL_POINT, energy_kz),
        "manager": user("manager", roles.MANAGER),
        "agencies": (trade_kz, energy_kz, economy_kg),
    }


def add_commitment(page, clause, title, agencies):
    page.get_by_role("link", name="Add a commitment").click()
    page.get_by_label("Protocol clause").fill(clause)
    page.get_by_label("Short title").fill(title)
    page.get_by_label("Text as adopted").fill(f"The Parties shall {title.lower()}.")
    page.get_by_label("Deadline date").fill("2027-03-01")
    for index, (agency, role) in enumerate(agencies):
        page.locator(f"#id_agencies-{index}-agency").select_option(label=agency)
        page.locator(f"#id_agencies-{index}-role").select_option(role)
    page.get_by_role("button", name="Save commitment").click()
    expect(page.get_by_role("heading", name=f"{clause} {title}")).to_be_visible()
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="KZ–KG, session 14"
    ).click()


def test_record_a_session_report_progress_accept_completion(live_server, sign_in, people, tmp_path):
    # The secretariat records a session from nothing.
    page = sign_in("secretary", PASSWORD)
    page.get_by_role("link", name="Councils").click()
    page.get_by_role("link", name="Kazakh–Kyrgyz Council").click()
    page.get_by_role("link", name="Record a session").click()
    page.get_by_label("Number").fill("14")
    page.get_by_label("Status").select_option("held")
    page.get_by_label("Start date").fill("2026-11-20")
    page.get_by_label("City").fill("Bishkek")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("is recorded")).to_be_visible()

    # Two agenda items, added and reordered in place with htmx (no page load).
    for title in ("Trade", "Energy"):
        page.get_by_text("Add an agenda item").click()
        form = page.locator("#agenda form[hx-post$='/agenda/new/']")
        form.get_by_label("Title").fill(title)
        form.get_by_role("button", name="Add to the agenda").click()
        expect(page.locator("#agenda li", has_text=title)).to_be_visible()
    page.evaluate("window.__same_page = true")
    page.get_by_role("button", name="Move “Energy” up").click()
    expect(page.locator("#agenda li").first).to_contain_text("Energy")
    assert page.evaluate("window.__same_page") is True

    add_commitment(page, "1.1", "Open a trade house", [("MoT (KZ)", "lead"), ("MoEc (KG)", "lead")])
    add_commitment(page, "1.2", "Agree an energy balance", [("MoE (KZ)", "lead")])

    # The protocol, signed, with a signed PDF.
    page.get_by_role("link", name="Record the protocol").click()
    page.get_by_label("Status").select_option("signed")
    page.get_by_label("Signed on").fill("2026-11-20")
    page.get_by_label("Place of signing").fill("Bishkek")
    page.locator("#id_signatories-0-person").select_option(label="Olzhas Bektenov")
    page.get_by_role("button", name="Save protocol").click()
    expect(page.get_by_text("Olzhas Bektenov, Prime Minister")).to_be_visible()
    pdf = tmp_path / "protocol-14-signed.pdf"
    pdf.write_bytes(PDF)
    page.locator("#id_file").set_input_files(str(pdf))
    page.get_by_role("button", name="Upload").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="protocol-14-signed.pdf").click()
    assert Path(download.value.path()).read_bytes() == PDF

    # The focal point of the Ministry of Trade reports completion, with evidence.
    page = sign_in("focal", PASSWORD)
    trade = Commitment.objects.get(clause="1.1")
    energy = Commitment.objects.get(clause="1.2")
    page.goto(live_server.url + reverse("council:commitment-detail", args=[energy.pk]))
    expect(page.get_by_role("button", name="Save report")).to_have_count(0)  # not our agency's
    page.goto(live_server.url + reverse("council:commitment-detail", args=[trade.pk]))
    url = page.url
    page.get_by_label("New status").select_option("completion_reported")
    page.get_by_label("What has been done").fill("Trade house opened in Almaty.")
    evidence = tmp_path / "opening-act.pdf"
    evidence.write_bytes(PDF)
    page.get_by_label("Attachment").set_input_files(str(evidence))
    page.get_by_role("button", name="Save report").click()
    expect(page.locator("#updates")).to_contain_text("Trade house opened in Almaty.")
    expect(page.locator("#updates")).to_contain_text("opening-act.pdf")
    expect(page.locator("#updates .badge", has_text="Completion reported").first).to_be_visible()
    assert page.url == url

    # The trade house binds both parties: the Kazakh side reported, the Kyrgyz side has not
    # started, so the commitment is in progress, and the Kazakh side waits in the
    # manager's queue. The manager accepts it for that side, from the dashboard.
    page = sign_in("manager", PASSWORD)
    page.get_by_role("region", name="Completions awaiting your review").get_by_role(
        "link"
    ).first.click()
    kz = trade.sides.get(party__code="KZ")
    page.get_by_role("button", name=f"Accept for {kz.party}").click()
    expect(page.get_by_text(f"Completion accepted for the side of {kz.party}.")).to_be_visible()
    expect(page.locator("#commitment-sides")).to_contain_text("Completed")

    trade.refresh_from_db()
    kz.refresh_from_db()
    assert (kz.status, trade.status) == ("completed", "in_progress")
    updates = list(StatusUpdate.objects.filter(commitment=trade).order_by("created_at"))
    assert [(u.author.username, u.to_status) for u in updates] == [
        ("focal", "completion_reported"),
        ("manager", "completed"),
    ]
    assert updates[0].attachments.get().original_name == "opening-act.pdf"


def test_list_filters_update_in_place_and_the_url_follows(sign_in, people):
    from ..factories import CommitmentFactory, SessionFactory

    session = SessionFactory(
        council=people["council"], number=13, start_date=datetime.date(2025, 11, 14)
    )
    CommitmentFactory(session=session, title="Done one")
    page = sign_in("manager", PASSWORD)
    page.get_by_role("link", name="Commitments", exact=True).click()
    page.evaluate("window.__same_page = true")
    page.get_by_label("Status").select_option("overdue")
    expect(page.locator("#results")).to_contain_text("No commitment matches")
    assert "status=overdue" in page.url
    assert page.evaluate("window.__same_page") is True  # htmx swap, not a page load
    page.go_back()
    expect(page.locator("#results")).to_contain_text("Done one")
    assert "status=overdue" not in page.url
