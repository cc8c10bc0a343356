"""Celery tasks: load by id, call the domain code, nothing else.

Beat runs ``reminders_scan`` on a static schedule (settings.CELERY_BEAT_SCHEDULE); the
scan reads what is due from the database, so a missed beat or a dead worker only
delays reminders until the next scan.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from . import services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def reminders_scan() -> dict[str, int]:
    return services.reminders_scan(dispatch=_enqueue_delivery)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def report_tallies_scan() -> int:
    return services.report_tallies_scan()


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True, max_retries=3)
def reminder_deliver(reminder_id: int) -> str:
    return services.reminder_deliver(reminder_id=reminder_id)


def _enqueue_delivery(reminder_id: int) -> bool:
    try:
        # Unsent by the next scan, a delivery is enqueued again; the stale copy expires.
        reminder_deliver.apply_async(
            (reminder_id,), expires=settings.CELERY_BEAT_SCHEDULE["reminders-scan"]["schedule"]
        )
    except Exception:  # broker unreachable: the row stays pending for the next scan
        logger.exception("could not enqueue reminder %s; the next scan retries", reminder_id)
        return False
    return True


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def webhooks_scan() -> int:
    return services.webhooks_scan(dispatch=enqueue_webhook)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def webhook_deliver(delivery_id: int) -> str:
    return services.webhook_deliver(delivery_id=delivery_id)


def enqueue_webhook(delivery_id: int) -> bool:
    try:
        webhook_deliver.apply_async(
            (delivery_id,), expires=settings.CELERY_BEAT_SCHEDULE["webhooks-scan"]["schedule"]
        )
    except Exception:  # broker unreachable: the delivery stays pending for the next scan
        logger.exception(
            "could not enqueue webhook delivery %s; the next scan retries", delivery_id
        )
        return False
    return True
