"""One write path for commitments and reviews: the services check the policy, the
version and the rules; the admin goes through them and shows their refusals on its form."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from council import roles, services
from council.models import Commitment, Responsibility, Review

from ..factories import (
    AgencyFactory,
    CommitmentFactory,
    ResponsibilityFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
S = Commitment.Status


def _user(group, **kwargs):
    roles.roles_sync()
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=group))
    return user


def _reviewable():
    earlier = CommitmentFactory()
    ResponsibilityFactory(commitment=earlier)
    later = SessionFactory(council=earlier.session.council, number=earlier.session.number + 1)
    return earlier, later


def _url(model, view, *args):
    return reverse(f"admin:council_{model._meta.model_name}_{view}", args=args)


def _admin_data(commitment, **extra):
    """What the admin's change form posts for ``commitment`` as it is now."""
    rows = list(commitment.responsibilities.order_by("pk"))
    data = {
        "session": commitment.session_id,
        "clause": commitment.clause,
        "title": commitment.title,
        "text": commitment.text,
        "sector": commitment.sector_id,
        "deadline_kind": commitment.deadline_kind,
        "deadline": commitment.deadline.isoformat() if commitment.deadline else "",
        "is_monitored": "on" if commitment.is_monitored else "",
        "loaded_version": commitment.version,
        "change_status_to": "",
        "status_note": "",
        "responsibilities-TOTAL_FORMS": len(rows),
        "responsibilities-INITIAL_FORMS": len(rows),
        "updates-TOTAL_FORMS": 0,
        "updates-INITIAL_FORMS": 0,
    }
    for i, row in enumerate(rows):
        data.update(
            {
                f"responsibilities-{i}-id": row.pk,
                f"responsibilities-{i}-commitment": commitment.pk,
                f"responsibilities-{i}-agency": row.agency_id,
                f"responsibilities-{i}-role": row.role,
            }
        )
    data.update(extra)
    return {k: v for k, v in data.items() if v != ""}


# Every writer bumps the version; a stale edit names who changed what --------------------


def test_every_writer_moves_the_version_on():
    commitment, session = _reviewable()
    versions = [commitment.version]
    services.commitment_change_status(commitment=commitment, to=S.IN_PROGRESS, by=None)
    versions.append(Commitment.objects.get(pk=commitment.pk).version)
    services.commitment_edit(
        commitment=commitment,
        fields={},
        responsibilities=[(AgencyFactory(), "lead")],
        version=versions[-1],
        by=None,
    )
    versions.append(Commitment.objects.get(pk=commitment.pk).version)
    services.review_record_decision(
        commitment=commitment, session=session, decision="extend", by=None,
        new_deadline=datetime.date(2030, 1, 1),
    )  # fmt: skip
    versions.append(Commitment.objects.get(pk=commitment.pk).version)
    assert versions == [1, 2, 3, 4]
    assert commitment.version == 4  # the caller's instance follows


def test_a_stale_edit_is_refused_naming_who_changed_what():
    commitment = CommitmentFactory()
    admin = UserFactory(username="chief", is_superuser=True)
    services.commitment_edit(
        commitment=commitment,
        fields={"deadline": datetime.date(2031, 5, 1)},
        responsibilities=None,
        version=1,
        by=admin,
    )
    with pytest.raises(ValidationError) as refused:
        services.commitment_edit(
            commitment=commitment,
            fields={"title": "Mine"},
            responsibilities=None,
            version=1,
            by=admin,
        )
    assert refused.value.code == "conflict"
    assert "chief saved this commitment" in refused.value.messages[0]
    assert "deadline date" in refused.value.messages[0]
    commitment.refresh_from_db()
    assert commitment.title != "Mine" and commitment.deadline == datetime.date(2031, 5, 1)


def test_one_lead_per_party_is_one_rule():
    kz = AgencyFactory()
    other_kz = AgencyFactory(party=kz.party)
    services.check_responsibilities([(kz, "lead"), (other_kz, "co_executor")])
    with pytest.raises(ValidationError, match="at most one lead"):
        services.check_responsibilities([(kz, "lead"), (other_kz, "lead")])
    with pytest.raises(ValidationError, match="listed twice"):
        services.check_responsibilities([(kz, "lead"), (kz, "co_executor")])


def test_history_shows_responsible_agencies_before_and_after():
    from council.history import commitment_history_rows

    commitment = CommitmentFactory()
    a, b = AgencyFactory(short_name="Alpha"), AgencyFactory(short_name="Beta")
    services.commitment_edit(
        commitment=commitment,
        fields={},
        responsibilities=[(a, "lead"), (b, "co_executor")],
        version=None,
        by=None,
    )
    services.commitment_edit(
        commitment=commitment,
        fields={},
        responsibilities=[(a, "lead")],
        version=None,
        by=None,
        reason="Beta merged into Alpha",
    )
    newest, previous = commitment_history_rows(commitment)[:2]
    assert newest.record.history_change_reason == "Beta merged into Alpha"
    label, before, after = newest.changes[-1]
    assert label == "Responsible agencies"
    assert "Alpha" in before and "Beta" in before and "Beta" not in after
    assert previous.changes[-1][1] == "—" and "Beta" in previous.changes[-1][2]


# Reviews: who decides, and from which day ------------------------------------------------


def test_a_review_decision_by_a_user_follows_the_policy():
    commitment, session = _reviewable()
    focal = _user(roles.FOCAL_POINT)
    with pytest.raises(PermissionDenied):
        services.review_record_decision(
            commitment=commitment, session=session, decision="keep", by=focal
        )
    secretariat = _user(roles.SECRETARIAT)
    session.council.secretariat_staff.add(secretariat)
    session.start_date = timezone.localdate() + datetime.timedelta(days=3)
    session.save()
    with pytest.raises(PermissionDenied, match="from the day of the session"):
        services.review_record_decision(
            commitment=commitment, session=session, decision="keep", by=secretariat
        )
    session.start_date = timezone.localdate()
    session.save()
    services.review_record_decision(
        commitment=commitment, session=session, decision="keep", by=secretariat
    )
    assert Review.objects.get().decided_by == secretariat


def test_a_review_completes_from_any_open_status_but_a_user_does_not(superuser):
    commitment, session = _reviewable()
    admin = superuser
    services.commitment_change_status(commitment=commitment, to=S.IN_PROGRESS, by=admin)
    with pytest.raises(PermissionDenied):
        services.commitment_change_status(commitment=commitment, to=S.COMPLETED, by=admin)
    services.review_record_decision(
        commitment=commitment, session=session, decision="completed", by=admin
    )
    commitment.refresh_from_db()
    assert commitment.status == S.COMPLETED and not commitment.is_monitored


# The admin goes through the services (defect 2) --------------------------------------------


def test_a_review_decision_saved_in_the_admin_is_applied(admin_client, superuser):
    commitment, session = _reviewable()
    response = admin_client.post(
        _url(Review, "add"),
        {"commitment": commitment.pk, "session": session.pk, "decision": "completed"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    commitment.refresh_from_db()
    assert commitment.status == S.COMPLETED and commitment.is_monitored is False
    update = commitment.updates.get()
    assert update.session == session and update.author == superuser
    assert Review.objects.get().decided_by == superuser


def test_a_review_refused_by_the_service_is_shown_on_the_admin_form(admin_client):
    commitment, session = _reviewable()
    earlier = SessionFactory(council=session.council, number=commitment.session.number - 1)
    response = admin_client.post(
        _url(Review, "add"),
        {"commitment": commitment.pk, "session": earlier.pk, "decision": "keep"},
    )
    assert response.status_code == 200
    assert "Only a later session can review a commitment." in response.content.decode()
    assert not Review.objects.exists()


def test_the_admin_cannot_skip_the_acceptance_and_keeps_nothing_of_a_refused_save(
    admin_client,
):
    commitment = CommitmentFactory()
    ResponsibilityFactory(commitment=commitment)
    services.commitment_change_status(commitment=commitment, to=S.IN_PROGRESS, by=None)
    commitment.refresh_from_db()
    url = _url(Commitment, "change", commitment.pk)
    data = _admin_data(commitment, title="Renamed", change_status_to="completed")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "You may not move this commitment" in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.status == S.IN_PROGRESS and commitment.title != "Renamed"


def test_an_admin_edit_goes_through_the_service(admin_client, superuser):
    commitment = CommitmentFactory()
    kept = ResponsibilityFactory(commitment=commitment)
    replaced = ResponsibilityFactory(commitment=commitment, role="co_executor")
    other = AgencyFactory()
    url = _url(Commitment, "change", commitment.pk)
    data = _admin_data(commitment, title="Renamed in admin", change_reason="Typo in the title")
    index = [data.get(f"responsibilities-{i}-id") for i in range(2)].index(replaced.pk)
    data[f"responsibilities-{index}-agency"] = other.pk  # the agency named by mistake
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    commitment.refresh_from_db()
    assert commitment.title == "Renamed in admin" and commitment.version == 2
    agencies = set(commitment.responsibilities.values_list("agency_id", flat=True))
    assert agencies == {kept.agency_id, other.pk}
    latest = commitment.history.latest()
    assert latest.history_user == superuser and latest.history_change_reason == "Typo in the title"
    assert Responsibility.history.get(id=replaced.pk, history_type="-").history_user == superuser
    # A form loaded at the old version is refused on the form.
    response = admin_client.post(url, _admin_data(commitment, title="Stale", loaded_version=1))
    assert response.status_code == 200
    assert "while you were editing" in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.title == "Renamed in admin"


def test_a_commitment_added_in_the_admin_goes_through_the_service(admin_client, superuser):
    session = SessionFactory()
    agency = AgencyFactory()
    response = admin_client.post(
        _url(Commitment, "add"),
        {
            "session": session.pk,
            "clause": "4.4",
            "title": "Added in admin",
            "text": "Text",
            "deadline_kind": "ongoing",
            "is_monitored": "on",
            "responsibilities-TOTAL_FORMS": 1,
            "responsibilities-INITIAL_FORMS": 0,
            "responsibilities-0-agency": agency.pk,
            "responsibilities-0-role": "lead",
            "updates-TOTAL_FORMS": 0,
            "updates-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    commitment = Commitment.objects.get(title="Added in admin")
    assert commitment.responsibilities.get().agency == agency
    assert commitment.history.get().history_user == superuser


def test_reverting_in_the_admin_does_not_bypass_the_service(admin_client):
    commitment = CommitmentFactory(title="Original")
    first = commitment.history.get()
    services.commitment_edit(
        commitment=commitment, fields={"title": "Edited"}, responsibilities=None, version=1,
        by=None,
    )  # fmt: skip
    url = _url(Commitment, "simple_history", commitment.pk, first.history_id)
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, _admin_data(commitment, title="Original"))
    assert response.status_code == 403
    commitment.refresh_from_db()
    assert commitment.title == "Edited" and commitment.version == 2


def test_the_demo_history_shows_no_agency_change_that_did_not_happen(demo):
    """The demo dates its records in the past; the agencies named at adoption belong to
    the adoption, not to the latest status change."""
    from council.history import commitment_history_rows

    for commitment in Commitment.objects.all():
        for row in commitment_history_rows(commitment):
            assert "Responsible agencies" not in [label for label, *_ in row.changes]
