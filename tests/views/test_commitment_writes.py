"""One write path for commitments, seen from the staff app: stale forms refused after any
writer, responsible agencies' changes in the history, double submits, withdrawn reports,
the workflow's gaps closed, and the agency filter limited to what the user may see."""

import io
import zipfile

import pytest
from django.urls import reverse

from council import forms, services
from council.models import Commitment, Responsibility

from ..factories import AgencyFactory, ResponsibilityFactory

HX = {"HTTP_HX_REQUEST": "true"}


def edit_data(commitment, version, **extra):
    """What the edit form posts for ``commitment`` as loaded at ``version``."""
    data = {
        "clause": commitment.clause,
        "title": commitment.title,
        "text": commitment.text,
        "sector": commitment.sector_id or "",
        "deadline_kind": commitment.deadline_kind,
        "deadline": commitment.deadline.isoformat() if commitment.deadline else "",
        "version": version,
    }
    rows = list(commitment.responsibilities.order_by("pk"))
    data["agencies-TOTAL_FORMS"] = data["agencies-INITIAL_FORMS"] = len(rows)
    for i, row in enumerate(rows):
        data.update(
            {
                f"agencies-{i}-id": row.pk,
                f"agencies-{i}-agency": row.agency_id,
                f"agencies-{i}-role": row.role,
            }
        )
    data.update(extra)
    return data


# Defect 3: every writer moves the version on --------------------------------------------


def test_a_stale_edit_form_cannot_overwrite_a_deadline_extended_by_the_review(client, world):
    old = world.commitment_old
    ResponsibilityFactory(commitment=old, agency=world.users["focal_a"].agency)
    client.force_login(world.users["secretariat"])
    edit = reverse("council:commitment-edit", args=[old.pk])
    loaded = client.get(edit).context["form"]["version"].value()
    # Meanwhile the 13th session extends the deadline.
    decided = client.post(
        reverse("council:session-review-decide", args=[world.session.pk, old.pk]),
        {"decision": "extend", "new_deadline": "2027-12-31"},
    )
    assert decided.status_code == 302
    # The form loaded before the decision is saved with the old deadline.
    old.refresh_from_db()
    stale = edit_data(old, loaded, title="Edited on a stale form", deadline="2026-01-31")
    response = client.post(edit, stale)
    assert response.status_code == 409
    assert "while you were editing" in response.content.decode()
    old.refresh_from_db()
    assert old.deadline.isoformat() == "2027-12-31" and old.title != "Edited on a stale form"


def test_a_stale_edit_form_cannot_undo_a_status_change(client, world):
    commitment = world.commitment_a
    client.force_login(world.users["secretariat"])
    edit = reverse("council:commitment-edit", args=[commitment.pk])
    loaded = client.get(edit).context["form"]["version"].value()
    services.commitment_change_status(
        commitment=commitment, to="in_progress", by=world.users["focal_a"], note="Started"
    )
    response = client.post(edit, edit_data(commitment, loaded, title="Stale"))
    assert response.status_code == 409
    body = response.content.decode()
    assert "focal_a saved this commitment" in body and "status" in body


# Defect 6: responsible agencies' changes leave a visible trace ---------------------------


def test_removing_a_responsible_agency_shows_before_and_after_in_the_history(client, world):
    commitment = world.commitment_a
    kg_row = commitment.responsibilities.get(agency__party__code="KG")
    kg_label = str(kg_row.agency)
    client.force_login(world.users["secretariat"])
    data = edit_data(commitment, commitment.version)
    index = next(i for i in range(2) if data[f"agencies-{i}-id"] == kg_row.pk)
    data[f"agencies-{index}-DELETE"] = "on"
    response = client.post(reverse("council:commitment-edit", args=[commitment.pk]), data)
    assert response.status_code == 302
    assert not commitment.responsibilities.filter(pk=kg_row.pk).exists()
    # The row's own history keeps it, with who removed it.
    removed = Responsibility.history.get(id=kg_row.pk, history_type="-")
    assert removed.history_user == world.users["secretariat"]
    page = client.get(commitment.get_absolute_url()).content.decode()
    history = page[page.index("Change history") :]
    line = next(li for li in history.split("<li>") if li.startswith("Responsible agencies"))
    before, after = line.split("→")
    assert kg_label in before and kg_label not in after
    assert str(world.users["focal_a"].agency) in after


def test_the_lead_moves_from_one_agency_of_a_party_to_another(client, world):
    """One lead per party is checked on the whole new list: handing the lead over within a
    party is allowed, two leads are not."""
    commitment = world.commitment_b
    old_lead = commitment.responsibilities.get()
    new_lead = world.users["focal_a"].agency  # same party (KZ)
    client.force_login(world.users["secretariat"])
    data = edit_data(commitment, commitment.version)
    data.update(
        {
            "agencies-0-role": "co_executor",
            "agencies-TOTAL_FORMS": 2,
            "agencies-1-agency": new_lead.pk,
            "agencies-1-role": "lead",
        }
    )
    url = reverse("council:commitment-edit", args=[commitment.pk])
    assert client.post(url, data).status_code == 302
    roles = dict(commitment.responsibilities.values_list("agency_id", "role"))
    assert roles == {old_lead.agency_id: "co_executor", new_lead.pk: "lead"}
    commitment.refresh_from_db()
    data = edit_data(commitment, commitment.version)
    data["agencies-0-role"] = data["agencies-1-role"] = "lead"
    response = client.post(url, data)
    assert response.status_code == 200 and "at most one lead" in response.content.decode()


# Defect 12: a double submit gets the form's error, not a server error --------------------


def test_the_second_of_two_identical_submits_gets_the_clause_error(client, world, monkeypatch):
    from .test_commitments import commitment_data

    client.force_login(world.users["secretariat"])
    url = reverse("council:commitment-create", args=[world.session.pk])
    data = commitment_data(world, clause="7.7")
    assert client.post(url, data).status_code == 302
    # The second request checked before the first one committed: both saw the clause free
    # (the form's early check and the service's own).
    monkeypatch.setattr(
        forms.CommitmentForm, "clean_clause", lambda form: form.cleaned_data["clause"].strip()
    )
    monkeypatch.setattr(
        services.commitments, "clause_taken", lambda *args, **kwargs: False, raising=False
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Clause 7.7 is already used in this session." in response.content.decode()
    assert Commitment.objects.filter(session=world.session, clause="7.7").count() == 1


# Defect 7: a withdrawn report is not the latest report ---------------------------------


def test_a_withdrawn_report_is_not_the_latest_on_the_review(client, world):
    old = world.commitment_old
    services.commitment_report_progress(commitment=old, by=None, note="Standing report")
    mistaken = services.commitment_report_progress(
        commitment=old, by=None, note="Reported on the wrong clause"
    )
    services.record_withdraw(record=mistaken, by=None, reason="Wrong clause.")
    client.force_login(world.users["manager"])
    for name in ("council:session-review", "council:session-review-print"):
        page = client.get(reverse(name, args=[world.session.pk])).content.decode()
        assert "Standing report" in page and "Reported on the wrong clause" not in page
    export = client.get(reverse("council:session-review-export", args=[world.session.pk]))
    document = zipfile.ZipFile(io.BytesIO(export.content)).read("word/document.xml").decode()
    assert "Standing report" in document and "Reported on the wrong clause" not in document


# Defect 14: nobody skips the acceptance; managers review, they do not report ------------


def test_the_secretariat_cannot_complete_without_a_reported_completion(client, world):
    commitment = world.commitment_a
    services.commitment_change_status(commitment=commitment, to="in_progress", by=None)
    client.force_login(world.users["secretariat"])
    url = reverse("council:commitment-report", args=[commitment.pk])
    page = client.get(commitment.get_absolute_url()).context
    assert "completed" not in dict(page["update_form"].fields["to_status"].choices)
    response = client.post(url, {"to_status": "completed", "note": "Done"}, **HX)
    assert response.status_code == 422
    commitment.refresh_from_db()
    assert commitment.status == "in_progress"


def test_a_manager_accepts_a_completion_but_does_not_report_progress(client, world):
    commitment = world.commitment_a
    services.commitment_change_status(commitment=commitment, to="completion_reported", by=None)
    client.force_login(world.users["manager"])
    url = reverse("council:commitment-report", args=[commitment.pk])
    assert client.post(url, {"note": "A report of my own"}).status_code == 403
    assert not commitment.updates.filter(note="A report of my own").exists()
    assert client.post(url, {"to_status": "completed", "note": "Accepted"}).status_code == 302


# Defect 15: the agency filter offers only agencies the user may come across -------------


def test_the_agency_filter_offers_only_agencies_of_visible_councils(client, world):
    kz_agency = world.users["focal_a"].agency
    uz_agency = world.users["focal_uz"].agency
    client.force_login(world.users["focal_uz"])
    url = reverse("council:commitment-list")
    choices = dict(client.get(url).context["filter"].form.fields["agency"].choices)
    assert uz_agency.pk in choices and kz_agency.pk not in choices
    # An id typed into the URL is refused like any invalid choice.
    response = client.get(url, {"agency": kz_agency.pk})
    assert response.status_code == 200 and "agency" in response.context["filter"].errors
    client.force_login(world.users["focal_a"])
    choices = dict(client.get(url).context["filter"].form.fields["agency"].choices)
    assert kz_agency.pk in choices and uz_agency.pk not in choices
    client.force_login(world.users["manager"])
    choices = dict(client.get(url).context["filter"].form.fields["agency"].choices)
    assert {kz_agency.pk, uz_agency.pk} <= set(choices)


@pytest.mark.parametrize("role", ["focal_b", "manager"])
def test_only_the_author_or_the_secretariat_may_withdraw_a_report(world, role):
    from django.core.exceptions import PermissionDenied

    update = services.commitment_report_progress(
        commitment=world.commitment_a, by=world.users["focal_a"], note="Mine"
    )
    with pytest.raises(PermissionDenied):
        services.status_update_withdraw(update=update, by=world.users[role], reason="Not yours")
    services.status_update_withdraw(update=update, by=world.users["focal_a"], reason="Typo")
    update.refresh_from_db()
    assert update.is_withdrawn


def test_a_new_commitment_in_another_council_is_refused_by_the_service(world):
    from django.core.exceptions import PermissionDenied

    agency = AgencyFactory(party=world.council.parties.get(code="KZ"))
    with pytest.raises(PermissionDenied):
        services.commitment_create(
            session=world.session,
            fields={"title": "Not mine", "text": "x", "deadline_kind": "ongoing"},
            responsibilities=[(agency, "lead")],
            by=world.users["secretariat_other"],
        )
    created = services.commitment_create(
        session=world.session,
        fields={"title": "Mine", "text": "x", "deadline_kind": "ongoing", "clause": "9.9"},
        responsibilities=[(agency, "lead")],
        by=world.users["secretariat"],
    )
    assert created.version == 1 and created.responsibilities.get().agency == agency
