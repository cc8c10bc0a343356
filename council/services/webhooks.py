"""Webhooks: endpoints registered by administrators, deliveries recorded with the change
that causes them (so a rolled-back change sends nothing), posted after the commit by a
Celery task, retried with back-off by the periodic scan."""

from __future__ import annotations

import datetime
import logging
import secrets
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import webhooks
from ..models import User, WebhookDelivery, WebhookEndpoint, WebhookEvent
from ..policies import Policy
from ._records import save_with_history

logger = logging.getLogger(__name__)

LEASE = datetime.timedelta(seconds=webhooks.TIMEOUT_SECONDS * 6)

# How a recorded delivery is sent on its way after the commit; the Celery task module
# sets it to enqueue a task (``tasks.py``); by default it is posted in-process.
dispatcher = None


def _check(by: User | None) -> None:
    if by is not None and not Policy(by).can_manage_webhooks():
        raise PermissionDenied(_("Only an administrator may register webhooks."))


def webhook_endpoint_save(
    *, endpoint: WebhookEndpoint, by: User | None, reason: str = ""
) -> WebhookEndpoint:
    """Register or change an endpoint; a new one gets its signing secret here."""
    _check(by)
    errors = {}
    if webhooks.address_refusal(endpoint.url or ""):
        errors["url"] = _("Use an https:// address.")
    unknown = [e for e in endpoint.events or [] if e not in WebhookEvent.values]
    if not endpoint.events or unknown:
        errors["events"] = _("Choose at least one of the events listed.")
    if errors:
        raise ValidationError(errors)
    if not endpoint.secret:
        endpoint.secret = secrets.token_hex(32)
    if endpoint._state.adding and by is not None:
        endpoint.created_by = by
    endpoint.full_clean()
    save_with_history(endpoint, by=by, reason=reason)
    return endpoint


def webhook_endpoint_rotate_secret(*, endpoint: WebhookEndpoint, by: User | None) -> str:
    _check(by)
    endpoint.secret = secrets.token_hex(32)
    save_with_history(endpoint, by=by, reason=_("Signing secret replaced"))
    return endpoint.secret


def webhook_emit(*, event: str, council_id: int, data: dict) -> int:
    """Record one delivery of ``event`` per active endpoint of the council that listens to
    it, inside the caller's transaction; they are posted once it commits. Returns how many."""
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(council_id=council_id, is_active=True)
        if e.listens_to(event)
    ]
    if not endpoints:
        return 0
    now = timezone.now()
    event_id = uuid.uuid4()
    payload = {
        "id": str(event_id),
        "event": event,
        "occurred_at": now.isoformat(),
        "council": council_id,
        "data": data,
    }
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint,
            event=event,
            event_id=event_id,
            payload=payload,
            next_attempt_at=now,
        )
        for endpoint in endpoints
    )
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: [_dispatch(pk) for pk in ids])
    return len(ids)


def _dispatch(delivery_id: int):
    if dispatcher is not None:
        return dispatcher(delivery_id)
    return webhook_deliver(delivery_id=delivery_id)


def _claim(delivery_id: int, now) -> WebhookDelivery | None:
    """Hold a due delivery for this worker (one short transaction, not one open while
    posting): another worker, or a duplicate task, finds it held and leaves it."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            .first()
        )
        if delivery is None:
            return None
        delivery.lease_until = now + LEASE
        delivery.attempts += 1
        delivery.save(update_fields=["lease_until", "attempts"])
        return delivery


def webhook_deliver(*, delivery_id: int) -> str:
    """Post one delivery if it is due and nobody holds it; returns its status."""
    now = timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return "taken"
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        answer = webhooks.Answer(None, "", "the endpoint was switched off")
        delivery.attempts = webhooks.MAX_ATTEMPTS
    else:
        body = webhooks.body_of(delivery.payload)
        timestamp = str(int(now.timestamp()))
        answer = webhooks.post(
            endpoint.url,
            body,
            {
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "CouncilTracker-Webhooks/1",
                "X-Council-Event": delivery.event,
                "X-Council-Delivery": str(delivery.event_id),
                "Idempotency-Key": str(delivery.event_id),
                "X-Council-Timestamp": timestamp,
                "X-Council-Signature": webhooks.signature(endpoint.secret, timestamp, body),
            },
        )
    delivery.response_status = answer.status
    delivery.response_body = answer.body
    delivery.last_error = answer.error or (
        "" if answer.ok else _("The receiver answered %(status)s.") % {"status": answer.status}
    )
    delivery.lease_until = None
    if answer.ok:
        delivery.status = WebhookDelivery.Status.SENT
        delivery.delivered_at = timezone.now()
    else:
        wait = webhooks.next_attempt_after(delivery.attempts)
        if wait is None:
            delivery.status = WebhookDelivery.Status.FAILED
        else:
            delivery.next_attempt_at = timezone.now() + wait
        logger.warning("webhook delivery %s not accepted: %s", delivery.pk, delivery.last_error)
    delivery.save(
        update_fields=[
            "status",
            "attempts",
            "response_status",
            "response_body",
            "last_error",
            "lease_until",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    return delivery.status


def webhooks_scan(*, dispatch=None, limit: int = 1000) -> int:
    """Send on their way the deliveries that are due (new ones whose task was lost, and
    retries whose back-off has passed); returns how many."""
    now = timezone.now()
    due = list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
        )
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    dispatch = dispatch or _dispatch
    sent = 0
    for pk in due:
        if dispatch(pk) is False:
            break
        sent += 1
    return sent


def webhook_delivery_retry(*, delivery: WebhookDelivery, by: User | None) -> None:
    """A failed delivery goes out again (the same idempotency key) on the next scan."""
    _check(by)
    if delivery.status != WebhookDelivery.Status.FAILED:
        raise ValidationError(_("Only a failed delivery can be sent again."))
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
