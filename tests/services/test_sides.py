"""Each party's side of a commitment: kept in step with the responsible agencies, moved
by its own party's focal points and reviewed by a manager side by side, with the
commitment's status following from its sides; the flag of a side left silent; and what
the migration makes of the records kept before sides existed."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from council import roles, services
from council.models import (
    Commitment,
    CommitmentSide,
    Responsibility,
    StatusUpdate,
    derived_status,
)
from council.services.commitments import InvalidTransition
from council.services.sides import sync_sides
from tests.conftest import make_user
from tests.factories import AgencyFactory, CommitmentFactory, ResponsibilityFactory

pytestmark = pytest.mark.django_db
S = Commitment.Status


def _both(world):
    """``commitment_a`` (agencies of Kazakhstan and Kyrgyzstan) with its two sides, and a
    Kyrgyz focal point."""
    commitment = world.commitment_a
    sync_sides(commitment, by=None, reason="")
    kz_agency = commitment.responsibilities.get(party__code="KZ").agency
    kg_agency = commitment.responsibilities.get(party__code="KG").agency
    focal_kg = make_user("focal_kg", group=roles.FOCAL_POINT, agency=kg_agency)
    kz = commitment.sides.get(party__code="KZ")
    kg = commitment.sides.get(party__code="KG")
    return commitment, kz, kg, kz_agency, kg_agency, focal_kg


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], S.NOT_STARTED),
        ([S.NOT_STARTED, S.NOT_STARTED], S.NOT_STARTED),
        ([S.IN_PROGRESS, S.NOT_STARTED], S.IN_PROGRESS),
        ([S.COMPLETION_REPORTED, S.NOT_STARTED], S.IN_PROGRESS),
        ([S.COMPLETED, S.NOT_STARTED], S.IN_PROGRESS),
        ([S.COMPLETION_REPORTED, S.COMPLETED], S.COMPLETION_REPORTED),
        ([S.COMPLETION_REPORTED, S.COMPLETION_REPORTED], S.COMPLETION_REPORTED),
        ([S.COMPLETED, S.COMPLETED], S.COMPLETED),
        ([S.IN_PROGRESS], S.IN_PROGRESS),
        ([S.COMPLETION_REPORTED], S.COMPLETION_REPORTED),
    ],
)
def test_the_commitment_status_follows_from_its_sides(statuses, expected):
    assert derived_status(statuses) == expected


def test_one_side_per_responsible_party_kept_when_the_party_leaves(world):
    secretariat = world.users["secretariat"]
    kz_agency, kg_agency = AgencyFactory(party=world.council.parties.get(code="KZ")), None
    kg_agency = AgencyFactory(party=world.council.parties.get(code="KG"))
    commitment = services.commitment_create(
        session=world.session,
        fields={"title": "Joint", "text": "Both do it", "deadline_kind": "next_session"},
        responsibilities=[(kz_agency, "lead"), (kg_agency, "lead")],
        by=secretariat,
    )
    assert sorted(commitment.sides.values_list("party__code", "status", "is_responsible")) == [
        ("KG", S.NOT_STARTED, True),
        ("KZ", S.NOT_STARTED, True),
    ]
    services.commitment_edit(
        commitment=commitment,
        fields={},
        responsibilities=[(kz_agency, "lead")],
        version=None,
        by=secretariat,
    )
    kg = commitment.sides.get(party__code="KG")
    assert not kg.is_responsible  # kept, with its reports, no longer counted
    assert kg.history.latest().history_user == secretariat
    services.commitment_edit(
        commitment=commitment,
        fields={},
        responsibilities=[(kz_agency, "lead"), (kg_agency, "co_executor")],
        version=None,
        by=secretariat,
    )
    assert commitment.sides.count() == 2
    assert commitment.sides.get(party__code="KG").is_responsible


def test_a_focal_point_moves_their_own_side_and_the_commitment_follows(world):
    commitment, kz, kg, kz_agency, kg_agency, focal_kg = _both(world)
    focal_a = world.users["focal_a"]
    version = Commitment.objects.get(pk=commitment.pk).version
    update = services.commitment_change_status(
        commitment=commitment, to=S.IN_PROGRESS, by=focal_a, note="Started", agency=kz_agency
    )
    kz.refresh_from_db()
    kg.refresh_from_db()
    commitment.refresh_from_db()
    assert update.side == kz and (update.from_status, update.to_status) == (
        S.NOT_STARTED,
        S.IN_PROGRESS,
    )
    assert (kz.status, kg.status, commitment.status) == (
        S.IN_PROGRESS,
        S.NOT_STARTED,
        S.IN_PROGRESS,
    )
    assert commitment.version == version + 1
    assert kz.history.latest().history_user == focal_a
    assert commitment.history.latest().history_user == focal_a

    services.commitment_change_status(
        commitment=commitment, to=S.COMPLETION_REPORTED, by=focal_a, note="Done on our side"
    )
    commitment.refresh_from_db()
    # The Kyrgyz side has not started: the commitment is still in progress.
    assert commitment.status == S.IN_PROGRESS
    assert CommitmentSide.objects.get(pk=kz.pk).status == S.COMPLETION_REPORTED


def test_a_focal_point_may_not_act_for_the_other_party(world):
    commitment, kz, kg, kz_agency, kg_agency, focal_kg = _both(world)
    focal_a = world.users["focal_a"]
    with pytest.raises(PermissionDenied):
        services.commitment_change_status(
            commitment=commitment, to=S.IN_PROGRESS, by=focal_a, note="x", side=kg
        )
    with pytest.raises(PermissionDenied):
        services.commitment_report_progress(
            commitment=commitment, by=focal_a, note="For them", side=kg
        )
    assert not StatusUpdate.objects.filter(side=kg).exists()
    update = services.commitment_report_progress(
        commitment=commitment, by=focal_kg, note="Our draft", agency=kg_agency
    )
    assert update.side == kg and update.from_status == S.NOT_STARTED
    # The secretariat may choose the side.
    update = services.commitment_report_progress(
        commitment=commitment, by=world.users["secretariat"], note="Heard from KG", side=kg
    )
    assert update.side == kg


def test_a_manager_reviews_each_side_and_the_commitment_completes_with_the_last(world):
    commitment, kz, kg, kz_agency, kg_agency, focal_kg = _both(world)
    focal_a, manager = world.users["focal_a"], world.users["manager"]
    services.commitment_change_status(
        commitment=commitment, to=S.COMPLETION_REPORTED, by=focal_a, note="Ours done"
    )
    with pytest.raises(PermissionDenied):
        services.commitment_accept_completion(commitment=commitment, by=focal_a, side=kz)
    update = services.commitment_accept_completion(commitment=commitment, by=manager)
    assert update.side == kz  # the only side waiting
    commitment.refresh_from_db()
    assert commitment.status == S.IN_PROGRESS

    services.commitment_change_status(
        commitment=commitment, to=S.COMPLETION_REPORTED, by=focal_kg, note="Ours too"
    )
    commitment.refresh_from_db()
    assert commitment.status == S.COMPLETION_REPORTED
    with pytest.raises(ValidationError) as refused:
        services.commitment_return_completion(
            commitment=commitment, by=manager, reason="  ", side=kg
        )
    assert "reason" in refused.value.message_dict
    services.commitment_return_completion(
        commitment=commitment, by=manager, reason="No act attached", side=kg
    )
    kg.refresh_from_db()
    commitment.refresh_from_db()
    assert (kg.status, commitment.status) == (S.IN_PROGRESS, S.IN_PROGRESS)
    # Accepting a side that is not waiting is refused, naming the side.
    with pytest.raises(InvalidTransition, match="side of"):
        services.commitment_accept_completion(commitment=commitment, by=manager, side=kg)

    services.commitment_change_status(
        commitment=commitment, to=S.COMPLETION_REPORTED, by=focal_kg, note="Act attached"
    )
    services.commitment_accept_completion(commitment=commitment, by=manager, side=kg)
    commitment.refresh_from_db()
    assert commitment.status == S.COMPLETED


def test_the_secretariat_moves_the_whole_commitment_unless_it_names_a_side(world):
    commitment, kz, kg, *_ = _both(world)
    secretariat = world.users["secretariat"]
    update = services.commitment_change_status(
        commitment=commitment, to=S.IN_PROGRESS, by=secretariat, note="Both started"
    )
    assert update.side is None
    assert set(commitment.sides.values_list("status", flat=True)) == {S.IN_PROGRESS}
    update = services.commitment_change_status(
        commitment=commitment, to=S.COMPLETION_REPORTED, by=secretariat, note="KG", side=kg
    )
    assert update.side == kg
    commitment.refresh_from_db()
    assert commitment.status == S.IN_PROGRESS


def test_a_session_decides_the_whole_commitment_and_its_sides_stop_moving(world):
    commitment, kz, kg, kz_agency, kg_agency, focal_kg = _both(world)
    later = world.session.__class__.objects.create(
        council=world.council, number=14, start_date=world.session.start_date.replace(year=2026)
    )
    services.review_record_decision(
        commitment=commitment,
        session=later,
        decision="completed",
        by=world.users["secretariat"],
    )
    commitment.refresh_from_db()
    kg.refresh_from_db()
    assert commitment.status == S.COMPLETED and kg.status == S.NOT_STARTED
    with pytest.raises(InvalidTransition):
        services.commitment_change_status(
            commitment=commitment, to=S.IN_PROGRESS, by=focal_kg, note="late", side=kg
        )


def test_one_party_behaves_as_before_sides(world):
    commitment = world.commitment_b
    sync_sides(commitment, by=None, reason="")
    focal_b, manager = world.users["focal_b"], world.users["manager"]
    services.commitment_change_status(
        commitment=commitment, to=S.COMPLETION_REPORTED, by=focal_b, note="done"
    )
    commitment.refresh_from_db()
    assert commitment.status == S.COMPLETION_REPORTED
    with pytest.raises(PermissionDenied, match="this commitment"):
        services.commitment_change_status(
            commitment=commitment, to=S.COMPLETED, by=focal_b, note="self-accept"
        )
    services.commitment_accept_completion(commitment=commitment, by=manager)
    commitment.refresh_from_db()
    assert commitment.status == S.COMPLETED
    # Reopened by the secretariat (the whole commitment): its side is at work again.
    services.commitment_change_status(
        commitment=commitment, to=S.IN_PROGRESS, by=world.users["secretariat"], note="Again"
    )
    commitment.refresh_from_db()
    assert commitment.status == S.IN_PROGRESS
    assert commitment.sides.get().status == S.IN_PROGRESS


def _backdate(update, days):
    StatusUpdate.objects.filter(pk=update.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_a_side_reported_while_the_other_is_silent_for_30_days_is_flagged(world):
    commitment, kz, kg, kz_agency, kg_agency, focal_kg = _both(world)
    today = timezone.localdate()
    Commitment.objects.filter(pk=commitment.pk).update(
        adopted_on=today - datetime.timedelta(days=120)
    )
    services.commitment_change_status(
        commitment=commitment, to=S.COMPLETION_REPORTED, by=world.users["focal_a"], note="Ours"
    )
    assert list(CommitmentSide.objects.flagged(today)) == [kz]  # KG never reported
    old = services.commitment_report_progress(
        commitment=commitment, by=focal_kg, note="Working", agency=kg_agency
    )
    assert not CommitmentSide.objects.flagged(today).exists()  # KG spoke today
    _backdate(old, 30)
    assert list(CommitmentSide.objects.flagged(today)) == [kz]  # 30 days: silent
    _backdate(old, 29)
    assert not CommitmentSide.objects.flagged(today).exists()
    # A young commitment is not flagged: the other side has not been silent 30 days.
    _backdate(old, 40)
    Commitment.objects.filter(pk=commitment.pk).update(
        adopted_on=today - datetime.timedelta(days=10)
    )
    assert not CommitmentSide.objects.flagged(today).exists()


def test_the_migration_keeps_status_and_gives_each_report_to_its_agencys_side(world):
    migration = importlib.import_module("council.migrations.0024_sides")
    kz = world.council.parties.get(code="KZ")
    kg = world.council.parties.get(code="KG")
    kz_agency, kg_agency = AgencyFactory(party=kz), AgencyFactory(party=kg)
    outside = AgencyFactory(party=world.other_council.parties.first())
    # Records as kept before sides existed (written without the services' sides).
    working = CommitmentFactory(session=world.session, status=S.COMPLETION_REPORTED)
    ResponsibilityFactory(commitment=working, agency=kg_agency, role="lead")
    ResponsibilityFactory(commitment=working, agency=kz_agency, role="co_executor")
    by_kz = StatusUpdate.objects.create(
        commitment=working, agency=kz_agency, from_status=S.NOT_STARTED, note="KZ"
    )
    by_nobody = StatusUpdate.objects.create(
        commitment=working, from_status=S.NOT_STARTED, note="secretariat"
    )
    by_outsider = StatusUpdate.objects.create(
        commitment=working, agency=outside, from_status=S.NOT_STARTED, note="other"
    )
    cancelled = CommitmentFactory(session=world.session, status=S.CANCELLED)
    ResponsibilityFactory(commitment=cancelled, agency=kz_agency)
    StatusUpdate.objects.create(
        commitment=cancelled, from_status=S.IN_PROGRESS, to_status=S.CANCELLED, note="Ended"
    )
    superseded = CommitmentFactory(session=world.session, status=S.SUPERSEDED)
    ResponsibilityFactory(commitment=superseded, agency=kg_agency)
    nobody = CommitmentFactory(session=world.session)
    CommitmentSide.objects.all().delete()
    StatusUpdate.objects.update(side=None)

    migration.create_sides(apps, None)

    assert sorted(working.sides.values_list("party__code", "status")) == [
        ("KG", S.COMPLETION_REPORTED),
        ("KZ", S.COMPLETION_REPORTED),
    ]
    by_kz.refresh_from_db()
    by_nobody.refresh_from_db()
    by_outsider.refresh_from_db()
    assert by_kz.side.party == kz
    assert by_nobody.side.party == kg  # the lead executor's party
    assert by_outsider.side.party == kg
    # Ended commitments: their sides keep where the work stood.
    assert cancelled.sides.get().status == S.IN_PROGRESS
    assert superseded.sides.get().status == S.NOT_STARTED
    assert not nobody.sides.exists()
    assert Responsibility.objects.filter(commitment=working).count() == 2
    assert migration.side_status_for(S.SUPERSEDED, S.COMPLETION_REPORTED, True) == S.IN_PROGRESS
    assert migration.side_status_for(S.CANCELLED, None, True) == S.IN_PROGRESS


def test_a_side_that_reported_completion_waits_in_the_managers_queue(world):
    """The Kazakh side reports completion while the Kyrgyz side still works: the
    commitment stays "in progress", but the manager's queue (and the reporter's own
    "awaiting review" list) hold it until the side is reviewed."""
    from council.policies import Policy

    commitment, kz, kg, kz_agency, kg_agency, focal_kg = _both(world)
    focal_a, manager = world.users["focal_a"], world.users["manager"]
    assert commitment not in Policy(manager).awaiting_review()
    for to in (S.IN_PROGRESS, S.COMPLETION_REPORTED):
        services.commitment_change_status(
            commitment=commitment, to=to, by=focal_a, note="Сделано", agency=kz_agency
        )
    commitment.refresh_from_db()
    assert commitment.status == S.IN_PROGRESS
    assert commitment in Policy(manager).awaiting_review()
    assert commitment in Policy(focal_a).awaiting_review()
    assert commitment not in Policy(world.users["focal_b"]).awaiting_review()
    services.commitment_accept_completion(commitment=commitment, side=kz, by=manager)
    assert commitment not in Policy(manager).awaiting_review()
