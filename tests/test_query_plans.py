"""Every sort of the commitment list, and the search, is served by an index: at a million
commitments a sequential scan is seconds (issue 18). On a few thousand generated rows,
analysed, the EXPLAIN of each list page's rows query (first page and the page after it,
both directions of each sort, with and without a council filter, as a manager and as a
focal point) must not scan ``council_commitment`` sequentially, so a change of query or
of ``Commitment.Meta.indexes`` cannot silently lose its index. PostgreSQL only."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.generate import generate
from council.models import Commitment, User
from council.querysets import LIST_ORDERINGS

ROWS = 4_000
SEQ_SCAN = re.compile(r"Seq Scan on council_commitment\b")


@pytest.fixture
def archive(db, client):
    if connection.vendor != "postgresql":
        pytest.skip("query plans are PostgreSQL's (CI runs it)")
    generate(ROWS)  # ends with ANALYZE
    return client


def list_queries(client, params: dict) -> tuple[list[str], object]:
    """The SELECTs a list page sent that read commitments, and the page it showed."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("council:commitment-list"), params)
    assert response.status_code == 200
    texts = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "council_commitment"' in q["sql"]
    ]
    return texts, response.context["page"]


def plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def rows_queries(texts: list[str]) -> list[str]:
    """The queries that read a page's rows (in its order; not the capped count, which
    may read the first 1,001 rows of an unfiltered list in any order)."""
    return [text for text in texts if " ORDER BY " in text]


def scans(client, params: dict) -> list[str]:
    """The plans of the rows, first page and the next, that scan the commitments
    sequentially."""
    found = []
    texts, page = list_queries(client, params)
    assert page.object_list, f"no rows for {params}: the case would prove nothing"
    if page.next_cursor:
        more, _page = list_queries(client, {**params, "after": page.next_cursor})
        texts += more
    for text in rows_queries(texts):
        shown = plan(text)
        if SEQ_SCAN.search(shown):
            found.append(f"{params}:\n{text}\n{shown}")
    return found


def biggest_council() -> int:
    from django.db.models import Count

    return (
        Commitment.objects.values("council")
        .annotate(n=Count("pk"))
        .order_by("-n", "council")[0]["council"]
    )


@pytest.mark.parametrize("username", ["bench-manager", "bench-focal"])
def test_every_sort_of_the_list_reads_an_index(archive, username):
    archive.force_login(User.objects.get(username=username))
    council = biggest_council()
    failures = []
    for ordering in LIST_ORDERINGS:
        for extra in ({}, {"council": council}):
            failures += scans(archive, {"ordering": ordering, **extra} if ordering else extra)
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize(
    "params",
    [
        {"status": "open", "ordering": "deadline"},
        {"status": "open", "ordering": "-deadline"},
        {"status": "completed", "ordering": "deadline"},
        {"status": "in_progress", "ordering": "-deadline"},
        {"status": "overdue", "ordering": "deadline"},
        {"status": "open", "ordering": "title"},
    ],
)
def test_a_status_filter_with_a_sort_reads_an_index(archive, params):
    archive.force_login(User.objects.get(username="bench-manager"))
    failures = scans(archive, params) + scans(archive, {**params, "council": biggest_council()})
    assert not failures, "\n\n".join(failures)


def test_search_reads_the_indexes(archive):
    """A word (stemmed, in the full-text index) and a clause number (its own index)."""
    archive.force_login(User.objects.get(username="bench-manager"))
    word = max(Commitment.objects.values_list("title", flat=True).first().split(), key=len)
    failures = []
    for q in (word, "1.2", "1.3."):
        for extra in ({}, {"ordering": "deadline"}, {"ordering": "-title"}):
            texts, page = list_queries(archive, {"q": q, **extra})
            assert page.object_list, f"{q!r} finds nothing: the case would prove nothing"
            failures += [
                f"{q!r} {extra}:\n{t}\n{plan(t)}" for t in texts if SEQ_SCAN.search(plan(t))
            ]
    assert not failures, "\n\n".join(failures)


def test_a_common_word_is_not_read_from_the_index_first(archive, monkeypatch):
    """The statistics say a word is common: its matches are dense in any order, so the
    list walks its sort's index without reading the first matches first; a word they do
    not know (rare) is read first, so the walk cannot run through the whole index."""
    from council import search

    archive.force_login(User.objects.get(username="bench-manager"))
    word = max(Commitment.objects.values_list("title", flat=True).first().split(), key=len)
    matching = Commitment.objects.filter(title__icontains=word).count()
    monkeypatch.setattr(search, "COMMON", matching // 2)
    assert search.estimated_matches(Commitment, word) > search.COMMON
    probe = f"LIMIT {search.FEW_MATCHES + 1}"
    texts, page = list_queries(archive, {"q": word})
    assert page.object_list and not [t for t in texts if probe in t]
    texts, page = list_queries(archive, {"q": "zzyzxq"})
    assert not page.object_list and [t for t in texts if probe in t]


@pytest.mark.parametrize("username", ["bench-focal", "bench-secretariat"])
def test_the_dashboard_reads_the_responsibility_rows_from_their_indexes(archive, username):
    """The focal point's counts and both roles' stale sides read the responsibility rows'
    copy of their commitment (``council.workload``) through its partial indexes. On a few
    thousand rows reading the whole table is cheaper, so the planner is told to avoid
    it: it still scans the table when no index can serve the query."""
    archive.force_login(User.objects.get(username=username))
    with CaptureQueriesContext(connection) as captured:
        assert archive.get(reverse("council:dashboard")).status_code == 200
    texts = [
        q["sql"] for q in captured.captured_queries if "FROM council_responsibility r" in q["sql"]
    ]
    assert texts, "the dashboard did not read the copy: the case would prove nothing"
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    failures = [
        f"{text}\n{plan(text)}"
        for text in texts
        if re.search(r"Seq Scan on council_responsibility\b", plan(text))
    ]
    assert not failures, "\n\n".join(failures)


def test_a_deadline_range_by_adoption_is_read_from_the_deadline_index(archive):
    """A year of deadlines in the default order (by adoption): the page's ids come from
    the deadline index, which carries the adoption keys (migration 0040; read alone
    once the table is vacuumed, which a test's transaction cannot do), and are sorted,
    not found by walking the adoption index (723,000 entries at a million). The planner
    is told to avoid reading the table, as above."""
    archive.force_login(User.objects.get(username="bench-manager"))
    year = Commitment.objects.exclude(deadline=None).order_by("deadline")[ROWS // 2].deadline.year
    params = {"deadline_after": f"{year}-01-01", "deadline_before": f"{year}-12-31"}
    texts, page = list_queries(archive, params)
    assert page.object_list, "no deadline in that year: the case would prove nothing"
    apart = [t for t in rows_queries(texts) if '"sorted_apart"' in t]
    assert apart, "the page did not sort the range apart"
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    shown = plan(apart[0])
    assert "commitment_deadline_adopted_idx" in shown, shown
    assert "commitment_adopted_idx" not in shown, shown
