"""A manager's review of a reported completion: accepted, or returned with a reason; who
may review; what the history keeps; and a demo record's illustrative mark, which a
person's edit clears."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from council import services
from council.history import commitment_history_rows
from council.models import Commitment
from council.policies import Policy

pytestmark = pytest.mark.django_db
S = Commitment.Status


def _reported(world):
    commitment = world.commitment_a
    services.commitment_change_status(
        commitment=commitment,
        to=S.COMPLETION_REPORTED,
        by=world.users["focal_a"],
        note="Roadmap signed",
    )
    return commitment


def test_manager_accepts_a_reported_completion(world):
    commitment = _reported(world)
    manager = world.users["manager"]
    update = services.commitment_accept_completion(commitment=commitment, by=manager)
    commitment.refresh_from_db()
    assert commitment.status == S.COMPLETED
    assert (update.from_status, update.to_status, update.author) == (
        S.COMPLETION_REPORTED,
        S.COMPLETED,
        manager,
    )
    latest = commitment.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == manager
    assert latest.history_change_reason == "Completion accepted"


def test_manager_returns_a_completion_with_a_reason_the_focal_point_reads(world, client):
    commitment = _reported(world)
    manager = world.users["manager"]
    update = services.commitment_return_completion(
        commitment=commitment, by=manager, reason="  The protocol is not signed yet.  "
    )
    commitment.refresh_from_db()
    assert commitment.status == S.IN_PROGRESS
    assert update.note == "The protocol is not signed yet."
    assert (update.from_status, update.to_status) == (S.COMPLETION_REPORTED, S.IN_PROGRESS)
    rows = commitment_history_rows(commitment)
    assert rows[0].record.history_user == manager
    assert rows[0].record.history_change_reason == (
        "Completion returned: The protocol is not signed yet."
    )
    # The responsible agency's focal point sees it on the commitment's page.
    client.force_login(world.users["focal_a"])
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert "Completion returned" in page and "The protocol is not signed yet." in page


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_returning_without_a_reason_is_refused_and_changes_nothing(world, reason):
    commitment = _reported(world)
    updates = commitment.updates.count()
    with pytest.raises(ValidationError) as refused:
        services.commitment_return_completion(
            commitment=commitment, by=world.users["manager"], reason=reason
        )
    assert "reason" in refused.value.message_dict
    commitment.refresh_from_db()
    assert commitment.status == S.COMPLETION_REPORTED
    assert commitment.updates.count() == updates


@pytest.mark.parametrize("persona", ["focal_a", "focal_b", "secretariat", "secretariat_other"])
@pytest.mark.parametrize("action", ["accept", "return"])
def test_only_a_manager_reviews(world, persona, action):
    """The responsible focal point reported it and may not accept it; the council's
    secretariat records, it does not review (``MANAGER_MOVES``)."""
    commitment = _reported(world)
    user = world.users[persona]
    assert not Policy(user).can_review_completion(commitment)
    with pytest.raises(PermissionDenied, match="Only a manager"):
        if action == "accept":
            services.commitment_accept_completion(commitment=commitment, by=user)
        else:
            services.commitment_return_completion(commitment=commitment, by=user, reason="no")
    commitment.refresh_from_db()
    assert commitment.status == S.COMPLETION_REPORTED


@pytest.mark.parametrize("persona", ["manager", "admin"])
def test_managers_and_admins_may_review(world, persona):
    commitment = _reported(world)
    assert Policy(world.users[persona]).can_review_completion(commitment)


def test_nothing_to_review_unless_a_completion_is_reported(world):
    commitment = world.commitment_a  # not started
    manager = world.users["manager"]
    assert not Policy(manager).can_review_completion(commitment)
    with pytest.raises(ValidationError, match="someone has acted on it meanwhile"):
        services.commitment_accept_completion(commitment=commitment, by=manager)


def test_a_completion_reviewed_meanwhile_is_not_reviewed_again(world):
    """Two managers on one completion: the second, from a page loaded before the first
    acted, is told; a return does not reopen what the other accepted."""
    commitment = _reported(world)
    stale = Commitment.objects.get(pk=commitment.pk)
    services.commitment_accept_completion(commitment=commitment, by=world.users["manager"])
    with pytest.raises(ValidationError, match="someone has acted on it meanwhile"):
        services.commitment_return_completion(
            commitment=stale, by=world.users["admin"], reason="Not done"
        )
    commitment.refresh_from_db()
    assert commitment.status == S.COMPLETED


def test_awaiting_review_is_the_managers_queue_and_the_focal_points_own(world):
    commitment = _reported(world)
    services.commitment_change_status(
        commitment=world.commitment_b, to=S.COMPLETION_REPORTED, by=None
    )
    users = world.users
    assert set(Policy(users["manager"]).awaiting_review()) == {commitment, world.commitment_b}
    assert set(Policy(users["focal_a"]).awaiting_review()) == {commitment}
    assert set(Policy(users["focal_uz"]).awaiting_review()) == set()
    services.commitment_accept_completion(commitment=commitment, by=users["manager"])
    assert set(Policy(users["manager"]).awaiting_review()) == {world.commitment_b}


# Illustrative records --------------------------------------------------------------------


def _illustrative(world):
    commitment = world.commitment_a
    services.commitment_edit(
        commitment=commitment,
        fields={"is_illustrative": True, "illustrative_note": "Clause and deadline made up."},
        responsibilities=None,
        version=None,
        by=None,  # the demo loader writes as nobody
    )
    commitment.refresh_from_db()
    assert commitment.is_illustrative
    return commitment


def test_a_persons_edit_clears_the_illustrative_mark(world, client):
    commitment = _illustrative(world)
    client.force_login(world.users["secretariat"])
    assert "Illustrative details:" in client.get(commitment.get_absolute_url()).content.decode()
    services.commitment_edit(
        commitment=commitment,
        fields={"title": "Checked against the protocol"},
        responsibilities=None,
        version=commitment.version,
        by=world.users["secretariat"],
    )
    commitment.refresh_from_db()
    assert not commitment.is_illustrative and commitment.illustrative_note == ""
    assert "Illustrative details:" not in client.get(commitment.get_absolute_url()).content.decode()
    # The history keeps what was marked.
    assert commitment.history.filter(is_illustrative=True).exists()


def test_the_systems_own_writes_keep_the_mark(world):
    commitment = _illustrative(world)
    services.commitment_edit(
        commitment=commitment,
        fields={"title": "Loaded again"},
        responsibilities=None,
        version=None,
        by=None,
    )
    commitment.refresh_from_db()
    assert commitment.is_illustrative


def test_an_admin_may_mark_a_record_illustrative_on_purpose(world):
    commitment = world.commitment_b
    services.commitment_edit(
        commitment=commitment,
        fields={"is_illustrative": True, "illustrative_note": "Deadline estimated."},
        responsibilities=None,
        version=commitment.version,
        by=world.users["admin"],
    )
    commitment.refresh_from_db()
    assert commitment.is_illustrative and commitment.illustrative_note == "Deadline estimated."
