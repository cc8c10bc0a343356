"""An event notification through a real Celery worker on the real Redis and PostgreSQL.

The delivery is handed to the worker when the service's transaction commits; a retried
event, duplicate deliveries and a later scan still mail it once.
"""

import datetime
import os
import time

import pytest
from django.core import mail
from django.db import connection

from council import services, tasks
from council.models import Commitment, Reminder

from ..services.test_reminders import due_commitment, people  # noqa: F401  (fixture)
from .test_reminders_celery import sent_to, wait_until_delivered, worker  # noqa: F401

# One worker process runs them all: they share the Redis queue they purge.
pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("redis"),
]

REDIS_URL = os.environ.get("REDIS_URL", "")
if not (REDIS_URL and connection.vendor == "postgresql"):
    if os.environ.get("CI"):
        raise RuntimeError("CI must run the integration tests on PostgreSQL with REDIS_URL set")
    pytest.skip("needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)", allow_module_level=True)

TODAY = datetime.date.today()


def test_completion_reported_reaches_the_manager_once_through_the_worker(people, worker):  # noqa: F811
    commitment = due_commitment(people, TODAY + datetime.timedelta(days=60))
    update = services.commitment_change_status(
        commitment=commitment,
        to=Commitment.Status.COMPLETION_REPORTED,
        by=people["focal"],
        note="The protocol is signed",
        agency=people["ministry"],
    )
    # Committed: the delivery went to the worker, nothing was sent in this process.
    wait_until_delivered(expected=1)
    reminder = Reminder.objects.get(recipient=people["manager"])
    assert reminder.kind == "event_completion_reported" and reminder.status == "sent"
    assert not Reminder.objects.filter(recipient=people["focal"]).exists()  # the actor
    # The same event again, duplicate deliveries and a scan: nothing new, nothing resent.
    again = services.notify(
        "event_completion_reported", commitment=commitment, about=update, actor=people["focal"]
    )
    assert again == 0
    for _ in range(3):
        tasks.reminder_deliver.delay(reminder.pk)
    tasks.reminders_scan.delay()
    wait_until_delivered(expected=1)
    time.sleep(1)
    # (The scan also sends the manager the weekly digest: another kind.)
    messages = [m for m in sent_to("manager@example.org") if "digest" not in m.subject]
    assert [m.subject for m in messages] == [f"Completion reported, awaiting review: {commitment}"]
    assert "The protocol is signed" in messages[0].body
    assert Reminder.objects.filter(kind="event_completion_reported").count() == 1
    assert len([m for m in mail.outbox if "awaiting review" in m.subject]) == 1
