"""The JSON API: personal tokens, what each role reads, filters, paging, errors, schema."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from council import services
from council.api.throttling import PerTokenThrottle
from council.models import ApiToken

LISTS = [
    "councils",
    "sessions",
    "agenda-items",
    "commitments",
    "progress-reports",
    "reviews",
    "protocols",
    "indicators",
    "observations",
]


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def api_as(user) -> APIClient:
    _token, secret = services.api_token_create(user=user, name="ЕСЭДО", days=30, by=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.django_db
def test_a_token_is_shown_once_stored_hashed_and_revoked_for_good(world, login):
    user = world.users["focal_a"]
    client = login(user)
    response = client.post(
        reverse("council:api-token-create"), {"token-name": "ЕСЭДО", "token-days": "90"}
    )
    assert response.status_code == 302
    page = client.get(reverse("council:profile")).content.decode()
    token = ApiToken.objects.get(user=user)
    secret = page.split('id="new-token" readonly value="')[1].split('"')[0]
    assert secret.startswith(f"ct_{token.prefix}_")
    assert token.digest != secret and secret not in token.digest
    assert "new-token" not in client.get(reverse("council:profile")).content.decode()

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/commitments/").status_code == 200

    client.post(reverse("council:api-token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    refused = api.get("/api/v1/commitments/")
    assert refused.status_code == 401
    assert refused.json()["detail"]


@pytest.mark.django_db
def test_a_token_form_refusal_keeps_the_profile_page_and_the_input(world, login):
    client = login(world.users["focal_a"])
    response = client.post(
        reverse("council:api-token-create"), {"token-name": "   ", "token-days": "7"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_token-name_error"' in page and 'id="id_token-days_error"' in page
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_someone_else_cannot_revoke_my_token(world, login):
    token, _secret = services.api_token_create(
        user=world.users["focal_a"], name="A", days=30, by=world.users["focal_a"]
    )
    client = login(world.users["focal_b"])
    assert client.post(reverse("council:api-token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_an_expired_token_is_refused(world):
    user = world.users["manager"]
    with time_machine.travel(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)):
        client = api_as(user)
        assert client.get("/api/v1/councils/").status_code == 200
    with time_machine.travel(datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC)):
        assert client.get("/api/v1/councils/").status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("resource", LISTS)
def test_without_a_token_every_endpoint_answers_401_in_json(world, resource):
    response = APIClient().get(f"/api/v1/{resource}/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Bearer ct_nothing_here")
    assert bad.get(f"/api/v1/{resource}/").status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("resource", LISTS)
@pytest.mark.parametrize(
    "role", ["secretariat", "focal_a", "focal_uz", "manager", "admin", "secretariat_other"]
)
def test_every_endpoint_answers_every_role(world, resource, role):
    response = api_as(world.users[role]).get(f"/api/v1/{resource}/")
    assert response.status_code == 200
    assert "results" in response.json()


@pytest.mark.django_db
def test_each_person_reads_the_commitments_the_staff_app_shows_them(world):
    council_commitments = {world.commitment_a.pk, world.commitment_b.pk, world.commitment_old.pk}
    assert ids(api_as(world.users["focal_a"]).get("/api/v1/commitments/")) == council_commitments
    outsider = api_as(world.users["focal_uz"])
    assert ids(outsider.get("/api/v1/commitments/")) == set()
    assert outsider.get(f"/api/v1/commitments/{world.commitment_a.pk}/").status_code == 404
    assert (
        outsider.get(f"/api/v1/progress-reports/?commitment={world.commitment_a.pk}").json()[
            "results"
        ]
        == []
    )


@pytest.mark.django_db
def test_a_commitment_reads_with_its_agencies_and_history(world):
    api = api_as(world.users["secretariat"])
    body = api.get(f"/api/v1/commitments/{world.commitment_a.pk}/").json()
    assert body["clause"] == "2.1"
    assert {r["party"] for r in body["responsibilities"]} == {"KZ", "KG"}
    assert body["url"].endswith(world.commitment_a.get_absolute_url())
    history = api.get(f"/api/v1/commitments/{world.commitment_a.pk}/history/").json()
    assert history[-1]["kind"] == "created"
    reports = api.get(f"/api/v1/progress-reports/?commitment={world.commitment_a.pk}").json()
    assert reports["results"][0]["note"] == "Draft sent"
    assert reports["results"][0]["attachments"][0]["original_name"] == "evidence.pdf"


@pytest.mark.django_db
def test_filters_are_the_lists_and_bad_values_name_the_field(world):
    api = api_as(world.users["manager"])
    by_session = api.get(f"/api/v1/commitments/?session={world.commitment_old.session_id}")
    assert ids(by_session) == {world.commitment_old.pk}
    by_agency = api.get(
        f"/api/v1/commitments/?agency={world.commitment_b.responsibilities.get().agency_id}"
    )
    assert ids(by_agency) == {world.commitment_b.pk}
    bad = api.get("/api/v1/commitments/?status=nonsense&session=99999999999999999999999")
    assert bad.status_code == 400
    assert set(bad.json()) == {"status", "session"}


@pytest.mark.django_db
def test_the_cursor_walks_every_row_once(world):
    api = api_as(world.users["manager"])
    seen, url = [], "/api/v1/commitments/?page_size=1"
    while url:
        page = api.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert sorted(seen) == seen and len(seen) == len(set(seen)) == 3
    assert api.get("/api/v1/commitments/?cursor=garbage").status_code == 404


@pytest.mark.django_db
def test_requests_are_throttled_per_token(world, monkeypatch):
    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", {"api": "3/minute"})
    first, second = api_as(world.users["manager"]), api_as(world.users["manager"])
    assert [first.get("/api/v1/councils/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert second.get("/api/v1/councils/").status_code == 200


@pytest.mark.django_db
def test_the_schema_is_openapi_3_and_the_docs_load_nothing_from_outside(client):
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    spec = schema.json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/commitments/" in spec["paths"]
    assert "personalToken" in spec["components"]["securitySchemes"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "swagger-ui" in page and "https://" not in page.split("</head>")[0]


# Writes: the same services and policy as the staff app, recorded "via API".


@pytest.mark.django_db
def test_a_focal_point_reports_progress_through_the_api(world):
    api = api_as(world.users["focal_a"])
    answer = api.post(
        f"/api/v1/commitments/{world.commitment_a.pk}/progress-reports/",
        {"note": "Проект соглашения направлен"},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    update = world.commitment_a.updates.get(pk=answer.json()["id"])
    assert update.note == "Проект соглашения направлен" and update.channel == "api"
    assert update.author == world.users["focal_a"]
    page = APIClient()
    page.force_authenticate(world.users["focal_a"])
    from django.test import Client

    staff = Client()
    staff.force_login(world.users["focal_a"])
    html = staff.get(world.commitment_a.get_absolute_url()).content.decode()
    assert "via API" in html


@pytest.mark.django_db
def test_api_writes_are_refused_as_the_staff_app_refuses_them(world):
    outsider = api_as(world.users["focal_b"])  # not responsible for commitment A
    refused = outsider.post(
        f"/api/v1/commitments/{world.commitment_a.pk}/progress-reports/",
        {"note": "x"},
        format="json",
    )
    assert refused.status_code == 403 and refused.json()["detail"]
    hidden = api_as(world.users["focal_uz"]).post(
        f"/api/v1/commitments/{world.commitment_a.pk}/progress-reports/", {"note": "x"}
    )
    assert hidden.status_code == 404
    focal = api_as(world.users["focal_a"])
    status_url = f"/api/v1/commitments/{world.commitment_a.pk}/status/"
    not_theirs = focal.post(status_url, {"to_status": "completed"}, format="json")
    assert not_theirs.status_code == 403 and not_theirs.json()["detail"]
    bad = focal.post(status_url, {"to_status": "nonsense"}, format="json")
    assert bad.status_code == 400 and "to_status" in bad.json()
    empty = api_as(world.users["focal_a"]).post(
        f"/api/v1/commitments/{world.commitment_a.pk}/extension-requests/",
        {"party": "ZZ", "new_deadline": "31.12.2027"},
        format="json",
    )
    assert empty.status_code == 400
    assert {"party", "new_deadline", "reason"} <= set(empty.json())


@pytest.mark.django_db
def test_a_completion_reported_and_accepted_through_the_api_is_in_history(world):
    from council.services.sides import sync_sides

    sync_sides(world.commitment_a, by=None, reason="")
    focal, manager = api_as(world.users["focal_a"]), api_as(world.users["manager"])
    url = f"/api/v1/commitments/{world.commitment_a.pk}/status/"
    for to in ("in_progress", "completion_reported"):
        answer = focal.post(url, {"to_status": to, "note": "Сделано", "side": "KZ"}, format="json")
        assert answer.status_code == 201, answer.json()
    accepted = manager.post(url, {"to_status": "completed", "side": "KZ"}, format="json")
    assert accepted.status_code == 201, accepted.json()
    side = world.commitment_a.sides.get(party__code="KZ")
    assert side.status == "completed"
    assert "via API" in (side.history.latest().history_change_reason or "")
    world.commitment_b.refresh_from_db()
    later = world.commitment_b.deadline + datetime.timedelta(days=90)
    asked = api_as(world.users["focal_b"]).post(
        f"/api/v1/commitments/{world.commitment_b.pk}/extension-requests/",
        {"party": "KZ", "new_deadline": later.isoformat(), "reason": "Ждём согласования"},
        format="json",
    )
    assert asked.status_code == 201, asked.json()
    assert asked.json()["status"] == "pending"
    request = world.commitment_b.extension_requests.get()
    assert "via API" in request.history.latest().history_change_reason


def test_the_committed_schema_is_the_one_the_code_generates():
    """Clients read ``council/api/openapi.yaml``: a change to the API must change it too
    (``make schema``)."""
    import io
    from pathlib import Path

    from django.core.management import call_command

    generated = io.StringIO()
    call_command("spectacular", "--lang", "en", "--fail-on-warn", stdout=generated)
    committed = Path(__file__).resolve().parents[2] / "council" / "api" / "openapi.yaml"
    assert generated.getvalue() == committed.read_text(encoding="utf-8"), "run make schema"
