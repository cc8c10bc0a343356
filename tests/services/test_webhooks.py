"""Webhooks: registered per council by an administrator, recorded with the change that
causes them, posted signed to a receiver on loopback, retried with back-off, each event
delivered to each endpoint under one idempotency key."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from council import services
from council.models import Protocol, Review, WebhookDelivery, WebhookEndpoint, WebhookEvent
from council.services import webhooks as webhook_services
from tests.factories import AgencyFactory, CommitmentFactory, SessionFactory

ALL_EVENTS = list(WebhookEvent.values)


class Receiver:
    """An HTTP server on loopback that records each request and answers the next status
    from ``answers`` (then 200)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b'{"received": true}' if status < 300 else b"busy")

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings, monkeypatch):
    settings.WEBHOOKS_ALLOW_HTTP_LOOPBACK = True
    # Posted in this process (the Celery path has its own test with a real worker).
    monkeypatch.setattr(webhook_services, "dispatcher", None)
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def endpoint(world, receiver):
    return services.webhook_endpoint_save(
        endpoint=WebhookEndpoint(council=world.council, url=receiver.url, events=ALL_EVENTS),
        by=world.users["admin"],
    )


def verified(request, secret: str) -> dict:
    headers = request["headers"]
    expected = hmac.new(
        secret.encode(),
        headers["X-Council-Timestamp"].encode() + b"." + request["body"],
        hashlib.sha256,
    ).hexdigest()
    assert hmac.compare_digest(headers["X-Council-Signature"], f"sha256={expected}")
    return json.loads(request["body"])


@pytest.mark.django_db
def test_only_an_administrator_registers_https_endpoints(world, settings):
    settings.WEBHOOKS_ALLOW_HTTP_LOOPBACK = False
    with pytest.raises(PermissionDenied):
        services.webhook_endpoint_save(
            endpoint=WebhookEndpoint(council=world.council, url="https://a.kz/", events=ALL_EVENTS),
            by=world.users["secretariat"],
        )
    for url in ("http://edo.gov.kz/hooks", "http://127.0.0.1:9/hooks", "ftp://edo.gov.kz/"):
        with pytest.raises(ValidationError) as refused:
            services.webhook_endpoint_save(
                endpoint=WebhookEndpoint(council=world.council, url=url, events=ALL_EVENTS),
                by=world.users["admin"],
            )
        assert "url" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.webhook_endpoint_save(
            endpoint=WebhookEndpoint(council=world.council, url="https://a.kz/", events=["x"]),
            by=world.users["admin"],
        )
    assert "events" in refused.value.message_dict
    saved = services.webhook_endpoint_save(
        endpoint=WebhookEndpoint(
            council=world.council, url="https://edo.gov.kz/h", events=ALL_EVENTS
        ),
        by=world.users["admin"],
    )
    assert len(saved.secret) == 64 and saved.created_by == world.users["admin"]
    assert saved.history.count() == 1


@pytest.mark.django_db
def test_a_new_commitment_is_posted_signed_with_its_idempotency_key(
    world, endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        commitment = services.commitment_create(
            session=world.session,
            fields={
                "clause": "9.9",
                "title": "Мост через Чу",
                "text": "Построить мост.",
                "deadline_kind": "next_session",
            },
            responsibilities=[(AgencyFactory(party=world.council.parties.first()), "lead")],
            by=world.users["secretariat"],
        )
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    payload = verified(request, endpoint.secret)
    assert payload["event"] == "commitment.created"
    assert payload["data"]["id"] == commitment.pk and payload["data"]["title"] == "Мост через Чу"
    assert request["headers"]["X-Council-Delivery"] == payload["id"]
    assert request["headers"]["Idempotency-Key"] == payload["id"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("sent", 1, 200)
    assert '"received"' in delivery.response_body
    # Delivered once: another task for the same delivery, or a scan, sends nothing more.
    assert services.webhook_deliver(delivery_id=delivery.pk) == "taken"
    assert services.webhooks_scan() == 0
    assert len(receiver.requests) == 1


@pytest.mark.django_db
def test_a_refused_delivery_is_retried_with_back_off_under_the_same_key(
    world, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [500, 503]
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        services.webhook_emit(
            event=WebhookEvent.STATUS_CHANGED, council_id=world.council.pk, data={"id": 1}
        )
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.response_status == 500
    assert delivery.next_attempt_at - start >= datetime.timedelta(seconds=60)
    assert services.webhooks_scan() == 0  # not due yet
    with time_machine.travel(start + datetime.timedelta(seconds=61)):
        assert services.webhooks_scan() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("pending", 2, 503)
    with time_machine.travel(start + datetime.timedelta(minutes=7)):
        services.webhooks_scan()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 3)
    keys = {r["headers"]["X-Council-Delivery"] for r in receiver.requests}
    assert len(receiver.requests) == 3 and keys == {str(delivery.event_id)}


@pytest.mark.django_db
def test_after_the_last_attempt_it_fails_and_an_administrator_sends_it_again(
    world, endpoint, receiver
):
    receiver.answers = [500] * 10
    with transaction.atomic():
        services.webhook_emit(
            event=WebhookEvent.REPORT_ADDED, council_id=world.council.pk, data={"id": 1}
        )
    delivery = WebhookDelivery.objects.get()
    moment = timezone.now()
    for _ in range(10):
        moment += datetime.timedelta(days=1)
        with time_machine.travel(moment):
            services.webhooks_scan()
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.attempts == 6
    assert "500" in delivery.last_error
    with pytest.raises(PermissionDenied):
        services.webhook_delivery_retry(delivery=delivery, by=world.users["secretariat"])
    receiver.answers = []
    services.webhook_delivery_retry(delivery=delivery, by=world.users["admin"])
    services.webhooks_scan()
    delivery.refresh_from_db()
    assert delivery.status == "sent"


@pytest.mark.django_db
def test_a_receiver_that_is_down_is_logged_not_raised(
    world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_ALLOW_HTTP_LOOPBACK = True
    monkeypatch.setattr(webhook_services, "dispatcher", None)
    services.webhook_endpoint_save(
        endpoint=WebhookEndpoint(
            council=world.council, url="http://127.0.0.1:9/", events=ALL_EVENTS
        ),
        by=world.users["admin"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.webhook_emit(
            event=WebhookEvent.REPORT_ADDED, council_id=world.council.pk, data={"id": 1}
        )
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.response_status is None
    assert "Error" in delivery.last_error


@pytest.mark.django_db
def test_a_change_rolled_back_sends_nothing(world, endpoint, receiver):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.webhook_emit(
            event=WebhookEvent.REPORT_ADDED, council_id=world.council.pk, data={"id": 1}
        )
        raise RuntimeError("the change fails after the event")
    assert not WebhookDelivery.objects.exists() and receiver.requests == []


@pytest.mark.django_db
def test_each_event_reaches_the_endpoints_that_listen_to_it_in_its_council(
    world, endpoint, receiver, django_capture_on_commit_callbacks
):
    deaf = services.webhook_endpoint_save(
        endpoint=WebhookEndpoint(
            council=world.council, url=receiver.url, events=[WebhookEvent.PROTOCOL_SIGNED]
        ),
        by=world.users["admin"],
    )
    services.webhook_endpoint_save(
        endpoint=WebhookEndpoint(council=world.other_council, url=receiver.url, events=ALL_EVENTS),
        by=world.users["admin"],
    )
    later = SessionFactory(council=world.council, number=14)
    with django_capture_on_commit_callbacks(execute=True):
        services.commitment_report_progress(
            commitment=world.commitment_a, by=world.users["focal_a"], note="Письмо направлено"
        )
        services.review_record_decision(
            commitment=world.commitment_old,
            session=later,
            decision=Review.Decision.COMPLETED,
            by=world.users["admin"],
        )
        protocol = world.protocol
        protocol.status = Protocol.Status.SIGNED
        protocol.signed_on = datetime.date(2025, 11, 14)
        services.protocol_save(protocol=protocol, by=world.users["secretariat"])
        services.protocol_save(protocol=protocol, by=world.users["secretariat"])  # no change
    events = sorted(
        WebhookDelivery.objects.filter(endpoint=endpoint).values_list("event", flat=True)
    )
    assert events == [
        "commitment.status_changed",
        "protocol.signed",
        "report.added",
        "report.added",  # the council's decision is recorded as a report too
        "review.decided",
    ]
    assert list(WebhookDelivery.objects.filter(endpoint=deaf).values_list("event", flat=True)) == [
        "protocol.signed"
    ]
    assert not WebhookDelivery.objects.filter(endpoint__council=world.other_council).exists()
    assert len(receiver.requests) == 6
    assert {r["headers"]["X-Council-Event"] for r in receiver.requests} == set(events)


@pytest.mark.django_db
def test_a_switched_off_endpoint_hears_nothing_more(world, endpoint, receiver):
    endpoint.is_active = False
    services.webhook_endpoint_save(endpoint=endpoint, by=world.users["admin"])
    CommitmentFactory(session=world.session)  # outside the services: no event
    with transaction.atomic():
        assert (
            services.webhook_emit(
                event=WebhookEvent.REPORT_ADDED, council_id=world.council.pk, data={}
            )
            == 0
        )
    assert receiver.requests == []
