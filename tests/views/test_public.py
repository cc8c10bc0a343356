"""The public page of a council that opted in: readable without signing in, in every
language, cached, with the same data as CSV and JSON — and nothing private."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from council import services


@pytest.fixture
def published(world):
    cache.clear()
    council, session = world.council, world.session
    council.is_public = True
    services.council_save(council=council, by=None)
    session.is_published = True
    session.summary = "Итоги заседания"
    services.session_edit(session=session, by=None)
    yield world
    cache.clear()


def url(world, lang="ru", suffix=""):
    base = f"/public/{lang}/councils/{world.council.pk}/"
    return base + suffix


@pytest.mark.django_db
def test_nothing_is_public_until_the_council_and_the_session_opt_in(world, client):
    cache.clear()
    assert client.get(url(world)).status_code == 404
    council = world.council
    council.is_public = True
    services.council_save(council=council, by=None)
    page = client.get(url(world, "en"))
    assert page.status_code == 200
    assert "No session has been published yet." in page.content.decode()
    assert client.get(url(world, suffix=f"sessions/{world.session.number}/")).status_code == 404


@pytest.mark.django_db
def test_a_published_session_shows_what_was_adopted_and_nothing_private(published, client):
    world = published
    page = client.get(url(world, "en", f"sessions/{world.session.number}/"))
    assert page.status_code == 200
    html = page.content.decode()
    assert world.commitment_a.title in html and "2.1" in html
    assert world.commitment_a.responsibilities.first().agency.name in html
    assert "Draft sent" not in html  # a progress note
    assert "evidence.pdf" not in html  # an attachment
    assert world.participant.person.name not in html
    assert 'lang="en"' in html and "Set-Cookie" not in str(page.headers)
    assert "Cookie" not in page.headers.get("Vary", "")
    assert page.headers["Cache-Control"].startswith("public")


@pytest.mark.django_db
def test_the_page_is_in_the_readers_language_and_served_from_the_cache(published, client):
    world = published
    address = url(world, "ru", f"sessions/{world.session.number}/")
    first = client.get(address).content.decode()
    assert "Принятые поручения" in first or "Заседание" in first
    with CaptureQueriesContext(connection) as queries:
        again = client.get(address)
    assert again.status_code == 200 and len(queries) == 0
    assert client.get(url(world, "xx")).status_code == 404


@pytest.mark.django_db
def test_csv_opens_in_a_russian_excel_and_json_carries_the_same_rows(published, client):
    world = published
    csv_answer = client.get(url(world, "ru", f"sessions/{world.session.number}.csv"))
    text = csv_answer.content.decode("utf-8")
    assert text.startswith("\ufeff") and ";" in text.splitlines()[0]
    assert "attachment" in csv_answer["Content-Disposition"]
    assert "Draft sent" not in text
    english = client.get(url(world, "en", f"sessions/{world.session.number}.csv")).content
    assert b"," in english.splitlines()[0]
    data = json.loads(client.get(url(world, "en", f"sessions/{world.session.number}.json")).content)
    assert {row["clause"] for row in data["commitments"]} == {"2.1", "2.2"}
    assert client.get(url(world, "en", f"sessions/{world.session.number}.xml")).status_code == 404


@pytest.mark.django_db
def test_each_sides_status_and_the_compliance_score_are_public(published, client):
    from council.services.sides import sync_sides

    world = published
    sync_sides(world.commitment_a, by=None, reason="")
    kz = world.commitment_a.sides.get(party__code="KZ")
    services.commitment_change_status(
        commitment=world.commitment_a, to="in_progress", side=kz, by=None, note="Начато"
    )
    cache.clear()
    html = client.get(url(world, "en", f"sessions/{world.session.number}/")).content.decode()
    kz_name = kz.party.short_name or kz.party.name
    assert f"{kz_name}: In progress" in html and ": Not started" in html
    assert "Compliance score" in html
    data = json.loads(client.get(url(world, "en", f"sessions/{world.session.number}.json")).content)
    row = next(r for r in data["commitments"] if r["clause"] == "2.1")
    assert {side["status"] for side in row["sides"]} == {"in_progress", "not_started"}
