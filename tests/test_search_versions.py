"""Search finds a commitment by the words of any of its texts: a Kazakh word finds the
clause whose Kazakh text has it, in any case; a withdrawn text no longer does."""

import pytest
from django.db import connection
from django.urls import reverse

from council import search, services
from council.models import Commitment, CommitmentVersion

pytestmark = pytest.mark.django_db


def found(value):
    return set(search.commitments_matching(Commitment.objects.all(), value))


@pytest.fixture
def kazakh(world):
    return services.commitment_version_save(
        version=CommitmentVersion(
            commitment=world.commitment_a,
            language="kk",
            title="Хан Тәңірі шыңына апаратын маршруттар",
            text="Тау туристік маршруттарын қайта жаңғырту.",
            is_translation=False,
        ),
        by=None,
    )


def test_a_kazakh_word_finds_its_clause(world, kazakh):
    assert found("жаңғырту") == {world.commitment_a}
    assert found("ТӘҢІРІ") == {world.commitment_a}
    # The recorded text still matches as before.
    assert world.commitment_a in found(world.commitment_a.title)


def test_a_withdrawn_text_is_not_searched(world, kazakh):
    services.commitment_version_withdraw(version=kazakh, by=None, reason="Wrong clause")
    assert found("жаңғырту") == set()


def test_the_search_page_lists_it(client, world, kazakh):
    client.force_login(world.users["manager"])
    page = client.get(reverse("council:search"), {"q": "жаңғырту"}).content.decode()
    assert world.commitment_a.title in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text index on PostgreSQL")
def test_the_versions_have_a_full_text_index(world, kazakh):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'council_commitmentversion'"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert "commitmentversion_search_idx" in names


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text index on PostgreSQL")
def test_both_full_text_indexes_serve_the_search(world, kazakh):
    from tests.factories import CommitmentFactory, SessionFactory

    other = SessionFactory(council=world.council, number=99)
    CommitmentVersion.objects.bulk_create(
        CommitmentVersion(commitment=commitment, language=language, title="Т", text="Мәтін")
        for commitment in (CommitmentFactory(session=other, clause=f"{n}.1") for n in range(200))
        for language in ("kk", "ky", "en")
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE council_commitment")
        cursor.execute("ANALYZE council_commitmentversion")
        cursor.execute("SET enable_seqscan = off")  # small tables: ask which index fits
    try:
        # The list reads the ids each index finds, then the rows by primary key.
        recorded, in_versions = search.id_queries(Commitment, search.query_for("жаңғырту"))
        plans = recorded.explain() + in_versions.explain()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = on")
    assert "commitment_document_idx" in plans, plans
    assert "commitmentversion_search_idx" in plans, plans
