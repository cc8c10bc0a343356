"""Event notifications: who hears of what, once, after commit, in their language."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError

from council import roles, services
from council.models import Commitment, Reminder, ReminderMute, Responsibility, User
from council.services.notifications import Event, notify

from ..conftest import point_celery_at


@pytest.fixture(autouse=True)
def eager_celery():
    """Deliveries run in this process, as without Redis (CI sets REDIS_URL for every
    test; the worker's own test is in tests/integration/)."""
    from council.celery import app

    saved = {"eager": app.conf.task_always_eager, "broker_url": app.conf.broker_url}
    point_celery_at("memory://", eager=True)
    yield
    point_celery_at(saved["broker_url"], eager=saved["eager"])


@pytest.fixture
def sides(world):
    """The world's KZ–KG commitment with e-mail addresses, and a Kyrgyz focal point."""
    users = world.users
    agency_kg = Responsibility.objects.get(commitment=world.commitment_a, party__code="KG").agency
    focal_kg = User.objects.create_user(
        "focal_kg", "focal_kg@example.org", "pw-long-enough", agency=agency_kg, language="ky"
    )
    focal_kg.groups.add(Group.objects.get(name=roles.FOCAL_POINT))
    for name, user in users.items():
        user.email = f"{name}@example.org"
        user.language = "en"
        user.save()
    users["focal_kg"] = focal_kg
    return world


def recipients(kind):
    return sorted(Reminder.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_reporting_completion_tells_managers_once_after_commit(
    sides, django_capture_on_commit_callbacks
):
    users = sides.users
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        update = services.commitment_change_status(
            commitment=sides.commitment_a,
            to=Commitment.Status.COMPLETION_REPORTED,
            by=users["focal_a"],
            note="Agreement signed",
            agency=users["focal_a"].agency,
        )
    assert len(callbacks) == 1
    assert recipients(Event.COMPLETION_REPORTED) == ["manager"]
    sent = [m for m in mail.outbox if m.to == ["manager@example.org"]]
    assert len(sent) == 1
    assert sent[0].subject.startswith("Completion reported, awaiting review:")
    assert "Agreement signed" in sent[0].body
    reminder = Reminder.objects.get(recipient=users["manager"])
    assert (
        reminder.key == f"event:completion_reported:statusupdate{update.pk}:u{users['manager'].pk}"
    )
    assert reminder.status == "sent" and reminder.party.code == "KZ"
    # A retry of the same event records and sends nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        again = notify(
            Event.COMPLETION_REPORTED,
            commitment=sides.commitment_a,
            about=update,
            actor=users["focal_a"],
        )
    assert again == 0
    assert Reminder.objects.filter(kind=Event.COMPLETION_REPORTED).count() == 1
    assert len([m for m in mail.outbox if m.to == ["manager@example.org"]]) == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(sides, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(
            Event.AT_RISK,
            commitment=sides.commitment_a,
            about="test",
            actor=None,
            party=sides.commitment_a.responsibilities.get(party__code="KG").party,
        )
    assert len(callbacks) == 1  # delivery waits for the commit
    assert mail.outbox == []
    assert set(Reminder.objects.values_list("status", flat=True)) == {"pending"}


def test_accept_and_return_tell_the_side_that_reported(sides, django_capture_on_commit_callbacks):
    users = sides.users
    commitment = sides.commitment_a
    services.commitment_change_status(
        commitment=commitment,
        to=Commitment.Status.COMPLETION_REPORTED,
        by=users["focal_kg"],
        note="Done on our side",
        agency=users["focal_kg"].agency,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.commitment_return_completion(
            commitment=commitment, by=users["manager"], reason="Attach the signed act"
        )
    assert recipients(Event.COMPLETION_RETURNED) == ["focal_kg"]
    (message,) = [m for m in mail.outbox if m.to == ["focal_kg@example.org"]]
    # Kyrgyz, the recipient's language; the reason is in the mail.
    assert message.subject.startswith("Аткаруу кайтарылды:")
    assert "Attach the signed act" in message.body
    services.commitment_change_status(
        commitment=commitment,
        to=Commitment.Status.COMPLETION_REPORTED,
        by=users["focal_kg"],
        note="Act attached",
        agency=users["focal_kg"].agency,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.commitment_accept_completion(commitment=commitment, by=users["manager"])
    assert recipients(Event.COMPLETION_ACCEPTED) == ["focal_kg"]


def test_a_new_commitment_tells_its_agencies_focal_points_not_the_actor(
    sides, django_capture_on_commit_callbacks
):
    users = sides.users
    agency_a = users["focal_a"].agency
    with django_capture_on_commit_callbacks(execute=True):
        commitment = services.commitment_create(
            session=sides.session,
            fields={"title": "Joint checkpoint", "text": "Open it", "deadline_kind": "ongoing"},
            responsibilities=[(agency_a, "lead")],
            by=users["secretariat"],
        )
    # focal_a hears of it; the secretariat (of agency A too) recorded it and does not.
    assert recipients(Event.ASSIGNED) == ["focal_a"]
    assert mail.outbox[-1].subject.startswith("New commitment for your agency:")
    # Adding an agency by an edit tells that agency only.
    agency_b = users["focal_b"].agency
    with django_capture_on_commit_callbacks(execute=True):
        services.commitment_edit(
            commitment=commitment,
            fields={},
            responsibilities=[(agency_a, "lead"), (agency_b, "co_executor")],
            version=commitment.version,
            by=users["secretariat"],
        )
        services.commitment_edit(
            commitment=commitment,
            fields={"title": "Joint checkpoint at Kordai"},
            responsibilities=[(agency_a, "lead"), (agency_b, "co_executor")],
            version=commitment.version,
            by=users["secretariat"],
        )
    assert recipients(Event.ASSIGNED) == ["focal_a", "focal_b"]


def test_the_systems_own_writes_notify_nobody(sides):
    services.commitment_create(
        session=sides.session,
        fields={"title": "Imported", "text": "x", "deadline_kind": "ongoing"},
        responsibilities=[(sides.users["focal_a"].agency, "lead")],
        by=None,
    )
    assert not Reminder.objects.exists()


def test_a_muted_council_hears_of_no_event(sides, django_capture_on_commit_callbacks):
    users = sides.users
    ReminderMute.objects.create(user=users["manager"], council=sides.council)
    with django_capture_on_commit_callbacks(execute=True):
        services.commitment_change_status(
            commitment=sides.commitment_a,
            to=Commitment.Status.COMPLETION_REPORTED,
            by=users["focal_a"],
            note="Done",
        )
    assert recipients(Event.COMPLETION_REPORTED) == []


@pytest.mark.parametrize(
    ("event", "expected", "subject"),
    [
        (Event.EXTENSION_REQUESTED, ["manager", "secretariat"], "Extension requested:"),
        (Event.EXTENSION_DECIDED, ["focal_kg"], "Extension decided:"),
    ],
)
def test_extension_events(sides, django_capture_on_commit_callbacks, event, expected, subject):
    party = sides.commitment_a.responsibilities.get(party__code="KG").party
    actor = sides.users["focal_kg"] if event == Event.EXTENSION_REQUESTED else None
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(
            event,
            commitment=sides.commitment_a,
            about="extensionrequest7",
            actor=actor,
            party=party,
            detail="Until 30.06.2027: the customs post is still being built",
        )
    assert created == len(expected)
    assert recipients(event) == expected
    english = [m for m in mail.outbox if m.to != ["focal_kg@example.org"]]
    assert all(m.subject.startswith(subject) for m in english)
    assert all("customs post" in m.body for m in mail.outbox)
    assert (
        notify(
            event,
            commitment=sides.commitment_a,
            about="extensionrequest7",
            actor=actor,
            party=party,
        )
        == 0
    )


def test_a_title_with_markup_and_breaks_makes_one_escaped_line(
    sides, django_capture_on_commit_callbacks
):
    commitment = sides.commitment_a
    Commitment.objects.filter(pk=commitment.pk).update(title="<b>Roads</b>\nand\u2028bridges")
    commitment.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            Event.AT_RISK,
            commitment=commitment,
            about="flag",
            actor=sides.users["secretariat"],
            party=commitment.responsibilities.get(party__code="KZ").party,
            detail="<script>x</script>",
        )
    message = next(m for m in mail.outbox if m.to == ["focal_a@example.org"])
    assert "\n" not in message.subject
    assert message.subject.endswith("<b>Roads</b> and bridges")
    html = message.alternatives[0].content
    assert "<b>Roads</b>" not in html and "&lt;b&gt;Roads&lt;/b&gt;" in html
    assert "<script>" not in html


def test_unknown_event_is_refused(sides):
    with pytest.raises(ValueError):
        notify("event_nonsense", commitment=sides.commitment_a, about="x", actor=None)
    with pytest.raises(ValidationError):
        services.commitment_return_completion(
            commitment=sides.commitment_a, by=sides.users["manager"], reason=""
        )


def test_with_the_broker_down_the_save_is_quick_and_the_scan_sends_it_later(
    sides, django_capture_on_commit_callbacks
):
    import time

    users = sides.users
    point_celery_at("redis://127.0.0.1:6399/0", eager=False)  # nothing listens there
    with django_capture_on_commit_callbacks() as callbacks:
        services.commitment_change_status(
            commitment=sides.commitment_a,
            to=Commitment.Status.COMPLETION_REPORTED,
            by=users["focal_a"],
            note="Done",
        )
    started = time.monotonic()
    for callback in callbacks:
        callback()
    assert time.monotonic() - started < 1  # the request does not wait on the broker
    pending = Reminder.objects.filter(kind=Event.COMPLETION_REPORTED)
    assert set(pending.values_list("status", flat=True)) == {"pending"} and not mail.outbox
    services.reminders_scan()  # in process, as beat's scan would through the worker
    assert set(pending.values_list("status", flat=True)) == {"sent"}
    assert len([m for m in mail.outbox if "awaiting review" in m.subject]) == 1
