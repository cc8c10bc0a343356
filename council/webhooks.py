"""What a webhook delivery carries and how it is signed and posted.

The receiver checks ``X-Council-Signature``: ``sha256=`` and the HMAC-SHA256, keyed with
the endpoint's secret, of ``<X-Council-Timestamp>.<body>`` (the timestamp bound in, so an
old delivery cannot be replayed as new). ``X-Council-Delivery`` is the idempotency key:
the same for every attempt of one event to one endpoint.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

# Back-off between attempts: 1 min, 5 min, 30 min, 2 h, 12 h; then the delivery fails.
BACKOFF = [60, 300, 1800, 7200, 43200]
MAX_ATTEMPTS = len(BACKOFF) + 1
TIMEOUT_SECONDS = 10
RESPONSE_KEPT = 2000


def body_of(payload: dict) -> bytes:
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def next_attempt_after(attempts: int) -> datetime.timedelta | None:
    """How long to wait after ``attempts`` failed ones, or None when they are spent."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return datetime.timedelta(seconds=BACKOFF[min(attempts, len(BACKOFF)) - 1])


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def address_refusal(url: str) -> str | None:
    """Why ``url`` may not receive deliveries, or None. HTTPS only; plain HTTP to this
    machine only where settings allow it (tests and local development)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and is_loopback(url) and settings.WEBHOOKS_ALLOW_HTTP_LOOPBACK:
        return None
    return "https"


@dataclass
class Answer:
    status: int | None
    body: str
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    # The address was checked on registration (https, or http to this machine in tests).
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return Answer(response.status, response.read(RESPONSE_KEPT).decode(errors="replace"))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read(RESPONSE_KEPT).decode(errors="replace"))
    except (urllib.error.URLError, OSError, ValueError) as error:
        return Answer(None, "", f"{type(error).__name__}: {error}"[:500])


# What each event says: the same fields the API shows, as plain values.


def commitment_data(commitment) -> dict:
    return {
        "id": commitment.pk,
        "council": commitment.council_id,
        "session": commitment.session_id,
        "clause": commitment.clause,
        "title": commitment.title,
        "status": commitment.status,
        "deadline_kind": commitment.deadline_kind,
        "deadline": commitment.deadline,
        "version": commitment.version,
    }


def report_data(update) -> dict:
    return {
        "id": update.pk,
        "commitment": update.commitment_id,
        "agency": update.agency_id,
        "from_status": update.from_status,
        "to_status": update.to_status,
        "created_at": update.created_at,
    }


def review_data(review) -> dict:
    return {
        "id": review.pk,
        "commitment": review.commitment_id,
        "session": review.session_id,
        "decision": review.decision,
        "new_deadline": review.new_deadline,
        "replacement": review.replacement_id,
    }


def protocol_data(protocol) -> dict:
    return {
        "id": protocol.pk,
        "session": protocol.session_id,
        "number": protocol.number,
        "title": protocol.title,
        "status": protocol.status,
        "signed_on": protocol.signed_on,
    }
