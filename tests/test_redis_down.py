"""A web request never waits on Redis: with the broker down, saves succeed and the
reminder goes out with a later scan."""

import datetime
import time

import pytest
from django.core import mail
from django.urls import reverse

from council import services, tasks
from council.celery import app
from council.models import Reminder, StatusUpdate

from .conftest import point_celery_at
from .services.test_reminders import due_commitment, people  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down():
    saved = {"eager": app.conf.task_always_eager, "broker_url": app.conf.broker_url}
    # Nothing listens on this port: any publish fails as if Redis had stopped.
    point_celery_at("redis://127.0.0.1:6399/0", eager=False)
    yield
    point_celery_at(saved["broker_url"], eager=saved["eager"])


def test_status_update_is_saved_and_the_reminder_sent_later(client, people, redis_down):  # noqa: F811
    today = datetime.date.today()
    commitment = due_commitment(people, today + datetime.timedelta(days=1))
    client.force_login(people["focal"])
    started = time.monotonic()
    response = client.post(
        reverse("council:commitment-report", args=[commitment.pk]),
        {"note": "Draft agreed", "to_status": "in_progress"},
    )
    assert response.status_code == 302 and time.monotonic() - started < 2
    assert StatusUpdate.objects.filter(commitment=commitment, note="Draft agreed").exists()

    # The beat's scan cannot enqueue deliveries while Redis is down: it gives up fast and
    # leaves the reminders recorded and pending.
    for days in (2, 3, 4):  # a backlog: the scan gives up at the first failed enqueue
        due_commitment(people, today + datetime.timedelta(days=days))
    started = time.monotonic()
    result = tasks.reminders_scan.run()
    assert time.monotonic() - started < 15
    assert result["dispatched"] == 0 and result["created"] >= 4
    reminder = Reminder.objects.get(recipient=people["focal"], commitment=commitment)
    assert reminder.status == "pending" and not mail.outbox

    # Redis is back (here: the scan delivers in-process): sent, once.
    services.reminders_scan()
    services.reminders_scan()
    reminder.refresh_from_db()
    assert reminder.status == "sent"
    about_it = [
        m for m in mail.outbox if m.to == ["focal@example.org"] and commitment.title in m.body
    ]
    assert len(about_it) == 1
