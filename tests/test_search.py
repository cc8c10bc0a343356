"""Search understands Russian: inflected forms, any case, the word still being typed, a
clause number; on PostgreSQL through its full-text index, on SQLite by substring."""

import pytest
from django.db import connection
from django.urls import reverse

from council import search
from council.models import Commitment, StatusUpdate

from .factories import CommitmentFactory, SessionFactory

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL"
)

TEXTS = {
    "roadmap": ("Дорожная карта по торговле", "Утвердить дорожную карту до конца года."),
    "power": ("Поставки электроэнергия", "Обеспечить переток электроэнергии в зимний период."),
    "kordai": ("Пункт пропуска «Кордай»", "Перевести пункт пропуска на круглосуточный режим."),
    "english": ("Joint customs control", "Set up joint control at the border crossings."),
}


@pytest.fixture
def recorded(world):
    session = world.session
    return {
        key: CommitmentFactory(session=session, title=title, text=text, clause=f"9.{i}")
        for i, (key, (title, text)) in enumerate(TEXTS.items(), start=1)
    }


def found(value):
    return set(search.commitments_matching(Commitment.objects.all(), value))


def test_any_case_and_the_clause_number_on_both_databases(recorded):
    assert found("кордай") == {recorded["kordai"]}
    assert found("КОРДАЙ") == {recorded["kordai"]}
    assert found("9.2") == {recorded["power"]}
    assert found("9.2.") == {recorded["power"]}
    assert found("customs") == {recorded["english"]}
    assert found("   ") == set(Commitment.objects.all())
    assert found("несуществующее") == set()


@postgres_only
@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("дорожной карты", "roadmap"),  # genitive finds the nominative title
        ("Дорожные карты", "roadmap"),
        ("электроэнергии", "power"),
        ("электроэнергия", "power"),
        ("круглосуточного", "kordai"),
        ("корд", "kordai"),  # the word being typed
        ("border crossing", "english"),
    ],
)
def test_inflected_forms_find_each_other_on_postgresql(recorded, typed, key):
    assert found(typed) == {recorded[key]}


@postgres_only
def test_punctuation_and_quotes_never_break_the_query(recorded):
    for typed in ("'", "«»", "a & | ! (", "пункт' OR 1=1 --", "::*"):
        search.commitments_matching(Commitment.objects.all(), typed).count()  # no error


@postgres_only
def test_the_best_match_comes_first(recorded, world):
    both = CommitmentFactory(
        session=world.session,
        clause="9.9",
        title="Дорожная карта: электроэнергия",
        text="Дорожная карта по электроэнергии и дорожная карта по газу.",
    )
    ranked, by_rank = search.ranked_commitments(Commitment.objects.all(), "дорожная карта")
    ranked = list(ranked)
    assert by_rank and ranked[0] == both and recorded["roadmap"] in ranked


@postgres_only
def test_search_reads_the_full_text_indexes(recorded, world):
    other = SessionFactory(council=world.council, number=99)
    for number in range(1, 401):
        CommitmentFactory(session=other, clause=f"{number}.1")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE council_commitment")
        cursor.execute("ANALYZE council_statusupdate")
        cursor.execute("SET enable_seqscan = off")  # small table: ask which index fits
    try:
        # The matching ids are read through the index (they then bound the list).
        recorded_ids, _in_versions = search.id_queries(Commitment, search.query_for("дорожной"))
        plan = recorded_ids.explain()
        assert "commitment_document_idx" in plan, plan
        plan = search.report_ids(StatusUpdate, search.query_for("проект")).explain()
        assert "statusupdate_search_idx" in plan, plan
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = on")


@postgres_only
def test_an_edited_title_is_found_by_its_new_words_only(recorded, world):
    """The stored search document follows every edit (a trigger keeps it)."""
    from council.services.commitments import commitment_edit

    kordai = recorded["kordai"]
    commitment_edit(
        commitment=kordai,
        fields={"title": "Пункт пропуска «Ак-Жол»"},
        responsibilities=None,
        version=kordai.version,
        by=world.users["secretariat"],
    )
    assert found("Ак-Жол") == {kordai}
    assert found("кордай") == set()


def test_the_list_search_box_uses_it(client, world, recorded):
    client.force_login(world.users["manager"])
    page = client.get(reverse("council:commitment-list"), {"q": "КОРДАЙ"}).content.decode()
    assert "Пункт пропуска «Кордай»" in page
    assert "Дорожная карта" not in page


def test_the_search_page_groups_what_the_user_may_see(client, world, recorded):
    recorded["kordai"].text = "Открыть <script>alert(1)</script> Кордай круглосуточно"
    Commitment.objects.filter(pk=recorded["kordai"].pk).update(text=recorded["kordai"].text)
    client.force_login(world.users["manager"])
    page = client.get(reverse("council:search"), {"q": "кордай"}).content.decode()
    assert "Пункт пропуска «Кордай»" in page
    assert "<mark>Кордай</mark>" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "Дорожная карта по торговле" not in page


def test_the_search_page_hides_other_councils(client, world):
    hidden = CommitmentFactory(
        session=SessionFactory(council=world.other_council, number=3),
        title="Секретный пункт Кордай",
    )
    client.force_login(world.users["focal_a"])
    page = client.get(reverse("council:search"), {"q": "кордай"}).content.decode()
    assert hidden.title not in page
    client.force_login(world.users["secretariat_other"])
    page = client.get(reverse("council:search"), {"q": "кордай"}).content.decode()
    assert hidden.title in page


def test_the_search_page_without_words_and_with_nothing_found(client, world):
    client.force_login(world.users["focal_a"])
    assert client.get(reverse("council:search")).status_code == 200
    page = client.get(reverse("council:search"), {"q": "ъъъъъ"}).content.decode()
    assert "Nothing found" in page


@postgres_only
@pytest.mark.parametrize("few_matches", [5_000, 0])
def test_the_search_page_finds_reports_whether_few_or_many_match(
    client, world, recorded, monkeypatch, few_matches
):
    """Few matching reports are read by id first; many are filtered by date order."""
    from council import services

    services.commitment_report_progress(
        commitment=recorded["kordai"],
        by=world.users["secretariat"],
        note="Проведены переговоры о круглосуточной работе поста.",
    )
    monkeypatch.setattr(search, "FEW_MATCHES", few_matches)
    client.force_login(world.users["manager"])
    page = client.get(reverse("council:search"), {"q": "переговорам"}).content.decode()
    assert "<mark>переговоры</mark>" in page


@postgres_only
def test_many_matches_are_shown_newest_first_and_few_best_first(
    client, world, recorded, monkeypatch
):
    newer = CommitmentFactory(
        session=world.session, title="Дорожная карта по энергетике", text="", clause="9.9"
    )
    client.force_login(world.users["manager"])
    page = client.get(reverse("council:search"), {"q": "дорожная карта"}).content.decode()
    assert "Best matches first." in page and "Newest first." not in page
    # Ranking more than FEW_MATCHES would read every match: they come newest first.
    monkeypatch.setattr(search, "FEW_MATCHES", 1)
    monkeypatch.setattr(search, "COMMON", 1)
    page = client.get(reverse("council:search"), {"q": "дорожная карта"}).content.decode()
    assert "Newest first." in page
    assert page.index(newer.title) < page.index(recorded["roadmap"].title)
