"""Extension requests: a responsible party asks for a later deadline, the secretariat or a
manager grants (the deadline moves, the original stays) or refuses (with a comment), the
requester may withdraw; one request per side awaits a decision at a time."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from council import services
from council.history import commitment_history_rows
from council.models import Commitment, ExtensionRequest, Review
from council.policies import Policy
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db
Status = ExtensionRequest.Status


def _kz(world):
    return world.commitment_a.responsibilities.get(agency__party__code="KZ").party


def _kg(world):
    return world.commitment_a.responsibilities.get(agency__party__code="KG").party


def _ask(world, *, by="focal_a", days=30, reason="Контрагент задержал поставку"):
    commitment = world.commitment_a
    return services.extension_request(
        commitment=commitment,
        party=_kz(world),
        new_deadline=commitment.deadline + datetime.timedelta(days=days),
        reason=reason,
        by=world.users[by],
    )


def test_recording_keeps_the_original_deadline(world):
    commitment = world.commitment_a
    assert commitment.original_deadline == commitment.deadline
    new = services.commitment_create(
        session=world.session,
        fields={"title": "Новое", "text": "Текст", "deadline": datetime.date(2027, 6, 1)},
        responsibilities=[],
        by=world.users["secretariat"],
    )
    assert new.original_deadline == datetime.date(2027, 6, 1)


def test_edit_before_any_extension_corrects_the_original(world):
    commitment = world.commitment_a
    services.commitment_edit(
        commitment=commitment,
        fields={"deadline": datetime.date(2027, 6, 1)},
        responsibilities=None,
        version=None,
        by=world.users["secretariat"],
    )
    commitment.refresh_from_db()
    assert commitment.original_deadline == datetime.date(2027, 6, 1)


def test_grant_moves_the_deadline_and_keeps_the_original(world):
    commitment = world.commitment_a
    original, version = commitment.deadline, commitment.version
    request = _ask(world)
    assert request.status == Status.PENDING
    assert request.current_deadline == original
    secretariat = world.users["secretariat"]
    services.extension_grant(request=request, comment="Согласовано", by=secretariat)
    commitment.refresh_from_db()
    request.refresh_from_db()
    assert commitment.deadline == original + datetime.timedelta(days=30)
    assert commitment.original_deadline == original
    assert commitment.version == version + 1
    assert commitment.was_extended
    assert (request.status, request.decided_by, request.decision_comment) == (
        Status.GRANTED,
        secretariat,
        "Согласовано",
    )
    # The commitment's history says who moved the deadline, from when to when.
    latest = commitment.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == secretariat
    assert "Extension granted" in latest.history_change_reason
    rows = commitment_history_rows(commitment)
    assert any(label == "deadline date" for label, _b, _a in rows[0].changes)
    # An edit after the extension leaves the original deadline alone.
    services.commitment_edit(
        commitment=commitment,
        fields={"deadline": datetime.date(2028, 1, 1)},
        responsibilities=None,
        version=None,
        by=secretariat,
    )
    commitment.refresh_from_db()
    assert commitment.original_deadline == original


def test_a_review_extension_keeps_the_original_too(world):
    commitment = world.commitment_a
    original = commitment.deadline
    later = SessionFactory(council=world.council, number=14, start_date=datetime.date(2026, 5, 1))
    services.review_record_decision(
        commitment=commitment,
        session=later,
        decision=Review.Decision.EXTEND,
        new_deadline=datetime.date(2029, 1, 1),
        by=None,
    )
    commitment.refresh_from_db()
    assert (commitment.deadline, commitment.original_deadline) == (
        datetime.date(2029, 1, 1),
        original,
    )


def test_refusal_needs_a_comment_and_keeps_the_deadline(world):
    commitment = world.commitment_a
    deadline = commitment.deadline
    request = _ask(world)
    with pytest.raises(ValidationError) as refused:
        services.extension_refuse(request=request, comment="  ", by=world.users["manager"])
    assert "comment" in refused.value.message_dict
    services.extension_refuse(
        request=request, comment="Срок установлен решением сторон", by=world.users["manager"]
    )
    commitment.refresh_from_db()
    request.refresh_from_db()
    assert request.status == Status.REFUSED
    assert commitment.deadline == deadline
    # Decided: neither granted nor refused again.
    with pytest.raises(ValidationError):
        services.extension_grant(request=request, by=world.users["secretariat"])


def test_request_refusals_name_their_fields(world):
    commitment = world.commitment_a
    with pytest.raises(ValidationError) as refused:
        services.extension_request(
            commitment=commitment,
            party=_kz(world),
            new_deadline=commitment.deadline,
            reason="",
            by=world.users["focal_a"],
        )
    assert set(refused.value.message_dict) == {"new_deadline", "reason"}
    with pytest.raises(ValidationError) as refused:
        services.extension_request(
            commitment=commitment,
            party=_kz(world),
            new_deadline=datetime.date(2200, 1, 1),
            reason="Причина",
            by=world.users["focal_a"],
        )
    assert "new_deadline" in refused.value.message_dict


def test_one_pending_request_per_side(world):
    _ask(world)
    with pytest.raises(ValidationError) as refused:
        _ask(world, by="secretariat", days=60)
    assert "new_deadline" in refused.value.message_dict
    # The other side may ask meanwhile (the secretariat on its behalf).
    commitment = world.commitment_a
    services.extension_request(
        commitment=commitment,
        party=_kg(world),
        new_deadline=commitment.deadline + datetime.timedelta(days=10),
        reason="Согласование с таможней",
        by=world.users["secretariat"],
    )
    # The database holds the rule whoever writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        ExtensionRequest.objects.create(
            commitment=commitment,
            party=_kz(world),
            new_deadline=datetime.date(2030, 1, 1),
            reason="x",
        )


def test_who_may_request(world):
    commitment = world.commitment_a
    # A focal point of another agency, or of a party not responsible, may not.
    for name in ("focal_b", "focal_uz", "manager", "secretariat_other"):
        with pytest.raises(PermissionDenied):
            _ask(world, by=name)
    # The KZ focal point may not ask on the Kyrgyz side's behalf.
    with pytest.raises(PermissionDenied):
        services.extension_request(
            commitment=commitment,
            party=_kg(world),
            new_deadline=commitment.deadline + datetime.timedelta(days=5),
            reason="Причина",
            by=world.users["focal_a"],
        )
    assert Policy(world.users["focal_a"]).extension_parties(commitment) == [_kz(world).pk]
    assert Policy(world.users["secretariat"]).extension_parties(commitment) == [
        _kz(world).pk,
        _kg(world).pk,
    ]


def test_who_may_decide(world):
    request = _ask(world)
    for name in ("focal_a", "focal_b", "secretariat_other"):
        with pytest.raises(PermissionDenied):
            services.extension_grant(request=request, by=world.users[name])
        with pytest.raises(PermissionDenied):
            services.extension_refuse(request=request, comment="Нет", by=world.users[name])
    assert Policy(world.users["manager"]).can_decide_extension(request)
    assert Policy(world.users["admin"]).can_decide_extension(request)
    services.extension_grant(request=request, by=world.users["admin"])


def test_withdrawn_by_the_requester_only(world):
    request = _ask(world)
    with pytest.raises(PermissionDenied):
        services.extension_withdraw(request=request, by=world.users["secretariat"], reason="")
    services.extension_withdraw(request=request, by=world.users["focal_a"], reason="Успеваем")
    request.refresh_from_db()
    assert request.status == Status.WITHDRAWN
    # Withdrawn, the side may ask again.
    _ask(world, days=90)


def test_closed_commitments_are_not_extended(world):
    commitment = world.commitment_b
    commitment.status = Commitment.Status.CANCELLED
    commitment.save()
    assert not Policy(world.users["secretariat"]).can_request_extension(commitment)


def test_pending_requests_visible_to_the_user(world):
    request = _ask(world)
    for name in ("secretariat", "manager", "focal_a"):
        assert list(Policy(world.users[name]).pending_extension_requests()) == [request]
    assert not Policy(world.users["focal_uz"]).pending_extension_requests().exists()
    mine = Policy(world.users["manager"]).with_pending_extension(Commitment.objects.all())
    assert list(mine) == [world.commitment_a]


def test_every_extension_is_in_the_commitments_history(world):
    request = _ask(world)
    services.extension_refuse(request=request, comment="Нет оснований", by=world.users["manager"])
    second = _ask(world, days=10)
    services.extension_grant(request=second, by=world.users["secretariat"])
    rows = commitment_history_rows(world.commitment_a)
    about_requests = [row for row in rows if row.label.startswith("Extension request")]
    # Two requests made, one refused, one granted: four records, newest first.
    assert len(about_requests) == 4
    changes = [change for row in about_requests for change in row.changes]
    assert ("Deadline", _short(request.current_deadline), _short(request.new_deadline)) in changes
    assert ("status", "Awaiting decision", "Refused") in changes
    assert ("status", "Awaiting decision", "Granted") in changes


def _short(day):
    from django.utils.formats import date_format

    return date_format(day, "SHORT_DATE_FORMAT")
