"""Webhook deliveries through a real Celery worker on the real Redis and PostgreSQL: a
change's event reaches the receiver once, however many scans and tasks race for it."""

import time

import pytest
from django.db import transaction

from council import services, tasks
from council.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from council.services import webhooks as webhook_services

from ..factories import CouncilFactory
from ..services.test_webhooks import Receiver
from .test_reminders_celery import people, worker  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("redis"),
]


def test_an_event_raced_by_scans_reaches_the_receiver_once(
    people,  # noqa: F811
    worker,  # noqa: F811
    settings,
    monkeypatch,
):
    settings.WEBHOOKS_ALLOW_HTTP_LOOPBACK = True
    monkeypatch.setattr(webhook_services, "dispatcher", tasks.enqueue_webhook)
    receiver = Receiver()
    try:
        council = CouncilFactory()
        endpoint = services.webhook_endpoint_save(
            endpoint=WebhookEndpoint(
                council=council, url=receiver.url, events=list(WebhookEvent.values)
            ),
            by=None,
        )
        with transaction.atomic():
            services.webhook_emit(
                event=WebhookEvent.REPORT_ADDED, council_id=council.pk, data={"id": 7}
            )
        for _ in range(3):  # overlapping beats racing the task sent after the commit
            tasks.webhooks_scan.delay()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if WebhookDelivery.objects.filter(status="sent").exists():
                break
            time.sleep(0.2)
        time.sleep(1)  # let any duplicate task in flight finish too
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
        assert (delivery.status, delivery.attempts) == ("sent", 1)
        assert len(receiver.requests) == 1
    finally:
        receiver.close()
