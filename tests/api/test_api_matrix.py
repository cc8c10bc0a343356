"""The API's permission matrix: every endpoint × every role, read and write.

Each cell is what that person may do in the staff app, answered the API's way: 200/201
where the page lets them, 403 where they see the commitment but may not act, 404 where
the policy hides it. A refused write leaves nothing behind."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from council import services
from council.models import ExtensionRequest, Review, StatusUpdate
from council.services.sides import sync_sides

from .test_api import api_as

ROLES = ["secretariat", "secretariat_other", "focal_a", "focal_b", "focal_uz", "manager", "admin"]


def row(*codes: int) -> dict[str, int]:
    return dict(zip(ROLES, codes, strict=True))


# Who sees the KZ–KG council: its secretariat, the focal points of its parties' agencies,
# managers and admins; not another council's secretariat, nor a third country's agency.
SEES = row(200, 404, 200, 200, 404, 200, 200)
EXPECTED = {
    "report": row(201, 404, 201, 403, 404, 403, 201),  # the responsible side and the secretariat
    "status": row(201, 404, 201, 403, 404, 403, 201),  # a side's own move: work started
    "accept": row(403, 404, 403, 403, 404, 201, 201),  # accepting a completion: managers
    "extension": row(201, 404, 201, 403, 404, 403, 201),
    "review": row(201, 404, 403, 403, 404, 403, 201),  # the council's secretariat only
}

READS = {
    "council": lambda w: f"/api/v1/councils/{w.council.pk}/",
    "session": lambda w: f"/api/v1/sessions/{w.session.pk}/",
    "agenda item": lambda w: f"/api/v1/agenda-items/{w.agenda_item.pk}/",
    "commitment": lambda w: f"/api/v1/commitments/{w.commitment_a.pk}/",
    "commitment history": lambda w: f"/api/v1/commitments/{w.commitment_a.pk}/history/",
    "progress report": lambda w: f"/api/v1/progress-reports/{w.attachment.update_id}/",
    "protocol": lambda w: f"/api/v1/protocols/{w.protocol.pk}/",
    "indicator": lambda w: f"/api/v1/indicators/{w.indicator.pk}/",
}


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_read_endpoint_answers_each_role_as_the_staff_app_does(world, role):
    api = api_as(world.users[role])
    answers = {name: api.get(url(world)).status_code for name, url in READS.items()}
    assert answers == dict.fromkeys(READS, SEES[role])
    staff = Client()
    staff.force_login(world.users[role])
    assert staff.get(world.commitment_a.get_absolute_url()).status_code == SEES[role]


def _writes(world):
    commitment = world.commitment_a
    base = f"/api/v1/commitments/{commitment.pk}"
    return {
        "report": (f"{base}/progress-reports/", {"note": "Письмо направлено", "side": "KZ"}),
        "status": (f"{base}/status/", {"to_status": "in_progress", "side": "KZ"}),
        "accept": (f"{base}/status/", {"to_status": "completed", "side": "KZ"}),
        "extension": (
            f"{base}/extension-requests/",
            {"party": "KZ", "new_deadline": "2030-01-31", "reason": "Ждём ратификации"},
        ),
        "review": (
            f"/api/v1/commitments/{world.commitment_old.pk}/reviews/",
            {"session": world.session.pk, "decision": "completed"},
        ),
    }


def _recorded() -> tuple[int, int, int]:
    return StatusUpdate.objects.count(), ExtensionRequest.objects.count(), Review.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize("write", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_every_write_endpoint_answers_each_role(world, role, write):
    sync_sides(world.commitment_a, by=None, reason="")
    if write == "accept":
        side = world.commitment_a.sides.get(party__code="KZ")
        for to in ("in_progress", "completion_reported"):
            services.commitment_change_status(
                commitment=world.commitment_a,
                to=to,
                by=world.users["focal_a"],
                note="Готово",
                agency=world.users["focal_a"].agency,
                side=side,
            )
    url, body = _writes(world)[write]
    before = _recorded()
    answer = api_as(world.users[role]).post(url, body, format="json")
    assert answer.status_code == EXPECTED[write][role], answer.content
    assert answer["Content-Type"] == "application/json"
    if answer.status_code == 201:
        assert _recorded() != before
    else:
        assert answer.json()["detail"]
        assert _recorded() == before
