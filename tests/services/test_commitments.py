"""Status changes and review decisions: allowed, refused, and always recorded."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from council import services
from council.models import Commitment, Review, StatusUpdate

from ..factories import CommitmentFactory, SessionFactory

pytestmark = pytest.mark.django_db
S = Commitment.Status


def test_allowed_transition_changes_status_and_records_who_when_why(superuser):
    commitment = CommitmentFactory()
    user = superuser  # a user the policy allows the move
    update = services.commitment_change_status(
        commitment=commitment, to=S.IN_PROGRESS, by=user, note="Work started"
    )
    commitment.refresh_from_db()
    assert commitment.status == S.IN_PROGRESS
    assert (update.from_status, update.to_status) == (S.NOT_STARTED, S.IN_PROGRESS)
    assert update.author == user and update.note == "Work started"
    assert update.created_at is not None


@pytest.mark.parametrize(
    ("path", "to"),
    [
        ([], S.NOT_STARTED),  # no-op
        ([S.CANCELLED], S.IN_PROGRESS),  # cancelled is final
        ([S.COMPLETION_REPORTED], S.NOT_STARTED),
        ([S.COMPLETION_REPORTED, S.COMPLETED], S.CANCELLED),
    ],
)
def test_refused_transitions_explain_why_and_change_nothing(path, to):
    commitment = CommitmentFactory()
    for step in path:
        services.commitment_change_status(commitment=commitment, to=step, by=None, note="step")
    before = StatusUpdate.objects.count()
    with pytest.raises(services.InvalidTransition) as error:
        services.commitment_change_status(commitment=commitment, to=to, by=None, note="try")
    assert error.value.messages[0]
    commitment.refresh_from_db()
    assert commitment.status == (path[-1] if path else S.NOT_STARTED)
    assert StatusUpdate.objects.count() == before


def test_unknown_status_is_refused():
    with pytest.raises(services.InvalidTransition):
        services.commitment_change_status(commitment=CommitmentFactory(), to="done", by=None)


def test_manager_returns_a_reported_completion_only_with_a_reason():
    commitment = CommitmentFactory()
    services.commitment_change_status(commitment=commitment, to=S.COMPLETION_REPORTED, by=None)
    with pytest.raises(services.InvalidTransition, match="why"):
        services.commitment_change_status(commitment=commitment, to=S.IN_PROGRESS, by=None)
    services.commitment_change_status(
        commitment=commitment, to=S.IN_PROGRESS, by=None, note="The act is not signed yet"
    )
    assert commitment.status == S.IN_PROGRESS


def test_cancelling_takes_it_out_of_monitoring():
    commitment = CommitmentFactory()
    services.commitment_change_status(commitment=commitment, to=S.CANCELLED, by=None, note="Moot")
    commitment.refresh_from_db()
    assert commitment.is_monitored is False
    assert not Commitment.objects.open().filter(pk=commitment.pk).exists()


def test_every_status_change_is_in_the_history_with_user_and_reason(superuser):
    commitment = CommitmentFactory()
    user = superuser
    services.commitment_change_status(commitment=commitment, to=S.IN_PROGRESS, by=user, note="a")
    services.commitment_change_status(
        commitment=commitment, to=S.COMPLETION_REPORTED, by=user, note="b"
    )
    history = list(commitment.history.order_by("history_date", "history_id"))
    assert [h.status for h in history] == [S.NOT_STARTED, S.IN_PROGRESS, S.COMPLETION_REPORTED]
    assert [h.history_change_reason for h in history[1:]] == ["a", "b"]
    assert all(h.history_user == user for h in history[1:])


def test_session_and_protocol_edits_are_in_the_history():
    session = SessionFactory(city="Astana")
    session.city = "Bishkek"
    session.save()
    assert [h.city for h in session.history.order_by("history_id")] == ["Astana", "Bishkek"]


def test_progress_report_keeps_status_and_stores_attachments():
    commitment = CommitmentFactory()
    upload = SimpleUploadedFile("act.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    update = services.commitment_report_progress(
        commitment=commitment, by=None, note="Draft sent", attachments=[upload]
    )
    assert update.to_status == "" and update.from_status == S.NOT_STARTED
    attachment = update.attachments.get()
    assert attachment.original_name == "act.pdf"
    assert attachment.file.read() == b"%PDF-1.4 test"


def test_empty_progress_report_is_refused():
    with pytest.raises(ValidationError):
        services.commitment_report_progress(commitment=CommitmentFactory(), by=None, note="  ")


def test_overdue_is_derived_from_deadline_and_status():
    today = datetime.date(2026, 11, 25)
    late = CommitmentFactory(deadline=today - datetime.timedelta(days=1))
    due_today = CommitmentFactory(deadline=today)
    done_late = CommitmentFactory(deadline=today - datetime.timedelta(days=5))
    services.commitment_change_status(commitment=done_late, to=S.COMPLETED, by=None)
    ongoing = CommitmentFactory(deadline_kind="ongoing", deadline=None)
    overdue = set(Commitment.objects.overdue(today=today))
    assert overdue == {late}
    assert late.is_overdue(today) and not due_today.is_overdue(today)
    assert not done_late.is_overdue(today) and not ongoing.is_overdue(today)
    flags = dict(Commitment.objects.with_overdue_flag(today=today).values_list("pk", "overdue"))
    assert flags == {late.pk: True, due_today.pk: False, done_late.pk: False, ongoing.pk: False}


def _reviewable():
    earlier = CommitmentFactory()
    later = SessionFactory(council=earlier.session.council, number=earlier.session.number + 1)
    return earlier, later


def test_review_completed_removes_from_monitoring():
    commitment, session = _reviewable()
    services.review_record_decision(
        commitment=commitment, session=session, decision=Review.Decision.COMPLETED, by=None
    )
    commitment.refresh_from_db()
    assert commitment.status == S.COMPLETED and commitment.is_monitored is False
    assert commitment.updates.get().session == session


def test_review_extension_moves_the_deadline_and_keeps_monitoring():
    commitment, session = _reviewable()
    new = datetime.date(2027, 6, 30)
    services.review_record_decision(
        commitment=commitment, session=session, decision="extend", by=None, new_deadline=new
    )
    commitment.refresh_from_db()
    assert commitment.deadline == new and commitment.is_monitored
    assert commitment.history.latest().history_change_reason


def test_review_replacement_links_the_new_commitment():
    commitment, session = _reviewable()
    replacement = CommitmentFactory(session=session)
    services.review_record_decision(
        commitment=commitment, session=session, decision="replace", by=None, replacement=replacement
    )
    commitment.refresh_from_db()
    replacement.refresh_from_db()
    assert commitment.status == S.SUPERSEDED
    assert replacement.carries_over == commitment


def test_review_is_refused_from_an_earlier_session_or_another_council():
    commitment = CommitmentFactory(session=SessionFactory(number=5))
    earlier = SessionFactory(council=commitment.session.council, number=4)
    with pytest.raises(ValidationError):
        services.review_record_decision(
            commitment=commitment, session=earlier, decision="keep", by=None
        )
    with pytest.raises(ValidationError):
        services.review_record_decision(
            commitment=commitment, session=SessionFactory(number=99), decision="keep", by=None
        )
    commitment, session = _reviewable()
    with pytest.raises(ValidationError) as error:
        services.review_record_decision(
            commitment=commitment, session=session, decision="extend", by=None
        )
    assert "new_deadline" in error.value.message_dict
    assert not Review.objects.exists()


def test_review_without_a_decision_records_nothing():
    commitment, session = _reviewable()
    for decision in ("", "maybe"):
        with pytest.raises(ValidationError) as error:
            services.review_record_decision(
                commitment=commitment, session=session, decision=decision, by=None
            )
        assert "decision" in error.value.message_dict
    commitment.refresh_from_db()
    assert commitment.is_monitored and not Review.objects.exists()


def test_a_session_decides_once_per_commitment():
    commitment, session = _reviewable()
    services.review_record_decision(
        commitment=commitment, session=session, decision="keep", by=None
    )
    with pytest.raises(ValidationError):
        services.review_record_decision(
            commitment=commitment, session=session, decision="keep", by=None
        )
