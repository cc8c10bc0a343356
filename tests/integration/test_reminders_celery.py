"""Reminders through a real Celery worker on the real Redis and PostgreSQL.

Duplicate scans, overlapping deliveries, a worker dying mid-send: every expected
reminder exists once and is mailed once.
"""

import datetime
import os
import threading
import time
import uuid

import pytest
from django.core import mail
from django.db import connection

from council import reminders, services, tasks
from council.celery import app
from council.models import Reminder

from ..conftest import point_celery_at
from ..services.test_reminders import due_commitment, people  # noqa: F401  (fixture)

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


@pytest.fixture
def worker(people):  # noqa: F811
    from celery.contrib.testing.worker import start_worker

    saved = {
        "eager": app.conf.task_always_eager,
        "broker_url": app.conf.broker_url,
        "options": app.conf.broker_transport_options,
    }
    # Each worker gets its own keys in Redis: a connection an earlier worker left blocked
    # on the shared queue (or another run on this Redis) cannot take this test's messages.
    app.conf.broker_transport_options = {
        **(saved["options"] or {}),
        "global_keyprefix": f"council-test-{uuid.uuid4().hex}:",
    }
    point_celery_at(REDIS_URL, eager=False)
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")
    with start_worker(
        app,
        pool="threads",
        concurrency=4,
        perform_ping_check=False,
        loglevel="WARNING",
        shutdown_timeout=30,
    ) as started:
        yield started
    if app._pool is not None:
        app._pool.force_close_all()
    app.conf.broker_transport_options = saved["options"]
    point_celery_at(saved["broker_url"], eager=saved["eager"])
    # The worker's threads are gone but their database sessions may linger; end them so
    # the test database can be dropped at the end of the run.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def wait_until_delivered(expected=1, timeout=120):
    """Until at least ``expected`` reminders are recorded and none is pending."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        recorded = Reminder.objects.count()
        if (
            recorded >= expected
            and not Reminder.objects.filter(status=Reminder.Status.PENDING).exists()
        ):
            time.sleep(0.5)  # let any duplicate task in flight finish too
            return
        time.sleep(0.2)
    states = list(Reminder.objects.values_list("pk", "kind", "recipient__username", "status"))
    raise AssertionError(f"reminders still pending after the timeout: {states}")


def sent_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_duplicate_scans_through_the_worker_send_each_reminder_once(people, worker):  # noqa: F811
    due = [
        due_commitment(people, TODAY + datetime.timedelta(days=7)),
        due_commitment(people, TODAY + datetime.timedelta(days=1)),
        due_commitment(people, TODAY - datetime.timedelta(days=3)),
    ]
    for _ in range(3):  # overlapping beats
        tasks.reminders_scan.delay()
    wait_until_delivered(expected=3)
    focal = Reminder.objects.filter(recipient=people["focal"])
    assert focal.count() == 3
    assert set(focal.values_list("commitment_id", flat=True)) == {c.pk for c in due}
    assert set(focal.values_list("status", flat=True)) == {"sent"}
    assert len(sent_to("focal@example.org")) == 3


def test_concurrent_in_process_scans_record_and_send_once(people):  # noqa: F811
    for days in (7, 1, -3, -20):
        due_commitment(people, TODAY + datetime.timedelta(days=days))
    errors = []

    def run():
        try:
            services.reminders_scan()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # Four commitments for the focal point, an escalation and a digest for the manager.
    assert Reminder.objects.filter(recipient=people["focal"]).count() == 4
    assert Reminder.objects.filter(recipient=people["manager"], kind="escalation").count() == 1
    keys = list(Reminder.objects.values_list("key", flat=True))
    assert len(keys) == len(set(keys))
    assert Reminder.objects.filter(status="pending").count() == 0
    assert len(mail.outbox) == Reminder.objects.filter(status="sent").count()


def test_worker_dying_mid_send_loses_nothing_and_sends_once(people, worker, monkeypatch):  # noqa: F811
    commitment = due_commitment(people, TODAY + datetime.timedelta(days=1))
    services.reminders_record_due()
    reminder = Reminder.objects.get(recipient=people["focal"])
    calls = {"n": 0}
    real_send = reminders.EmailMultiAlternatives.send

    def dies_the_first_time(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise SystemExit("worker killed before the mail server answered")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(reminders.EmailMultiAlternatives, "send", dies_the_first_time)
    with pytest.raises(SystemExit):
        services.reminder_deliver(reminder_id=reminder.pk)
    reminder.refresh_from_db()
    assert reminder.status == "pending" and not sent_to("focal@example.org")
    # The next scan (through the worker) finds it pending and sends it; duplicate
    # deliveries of the same id find it sent and do nothing.
    tasks.reminders_scan.delay()
    for _ in range(3):
        tasks.reminder_deliver.delay(reminder.pk)
    wait_until_delivered()
    time.sleep(1)
    reminder.refresh_from_db()
    assert reminder.status == "sent"
    assert [m.subject for m in sent_to("focal@example.org")] == [
        m.subject for m in sent_to("focal@example.org")[:1]
    ]
    assert len([m for m in sent_to("focal@example.org") if commitment.title in m.body]) == 1
