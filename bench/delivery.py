# ruff: noqa: S603 - runs our own celery worker and python, with arguments built here
"""Reminder delivery by one Celery worker: how long 1,000 reminders take to be sent.

Records 1,000 due reminders on the benchmark data (the first ones the scan yields),
starts one real Celery worker (solo pool: one process, one task at a time) on Redis
against the benchmark database, enqueues one delivery task per reminder from another
process, and times until the database shows every one sent. Each delivery locks its
row, renders the message in the recipient's language (HTML and text), sends it through
the configured mailer and marks it sent, in one transaction. The mailer is Django's
console backend writing to /dev/null: this measures our work per reminder, not an SMTP
server. Run by ``bench/run.py --throughput`` after the throughput test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNT = 1_000
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
TIMEOUT = 600


def _env(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "council.settings"),
    }


def record(count: int = COUNT) -> list[int]:
    """Record ``count`` due reminders (in the calling process's database) and return
    their ids; reminders already recorded by an earlier run are reused."""
    from itertools import islice

    from council import reminders
    from council.models import Reminder

    Reminder.objects.filter(status=Reminder.Status.PENDING).delete()
    Reminder.objects.bulk_create(
        [due.as_reminder() for due in islice(reminders.due_reminders(), count + 1)],
        ignore_conflicts=True,
    )
    ids = list(
        Reminder.objects.filter(status=Reminder.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)[: count + 1]
    )
    if len(ids) < count + 1:
        raise RuntimeError(f"only {len(ids)} due reminders on this data set")
    return ids


def _sent(ids: list[int]) -> int:
    from council.models import Reminder

    return Reminder.objects.filter(pk__in=ids).exclude(status=Reminder.Status.PENDING).count()


def _enqueue(database_url: str, ids: list[int]) -> None:
    subprocess.run(
        [sys.executable, __file__, "enqueue"],
        input=json.dumps(ids),
        text=True,
        env=_env(database_url),
        cwd=ROOT,
        check=True,
    )


def _wait(ids: list[int], started: float) -> float:
    while time.perf_counter() - started < TIMEOUT:
        if _sent(ids) == len(ids):
            return time.perf_counter() - started
        time.sleep(0.1)
    raise RuntimeError(f"{_sent(ids)} of {len(ids)} delivered in {TIMEOUT} s")


def measure(database_url: str) -> dict:
    import redis
    from django.db.models import Count

    from council.models import Reminder

    redis.Redis.from_url(REDIS_URL).flushdb()
    ids = record()
    warm, ids = ids[:1], ids[1:]
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "council",
            "worker",
            "--pool",
            "solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "warning",
        ],
        cwd=ROOT,
        env=_env(database_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        started = time.perf_counter()
        _enqueue(database_url, warm)  # the worker is up and warm once this one is sent
        _wait(warm, started)
        started = time.perf_counter()
        _enqueue(database_url, ids)
        enqueued = time.perf_counter() - started
        seconds = _wait(ids, started)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    statuses = dict(
        Reminder.objects.filter(pk__in=ids).values_list("status").annotate(n=Count("pk"))
    )
    return {
        "reminders": len(ids),
        "seconds": seconds,
        "enqueue_seconds": enqueued,
        "per_second": len(ids) / seconds,
        "statuses": statuses,
    }


def _enqueue_main() -> None:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from council.tasks import reminder_deliver

    for reminder_id in json.loads(sys.stdin.read()):
        reminder_deliver.delay(reminder_id)


if __name__ == "__main__" and sys.argv[1:] == ["enqueue"]:
    _enqueue_main()
