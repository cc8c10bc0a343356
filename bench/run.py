"""Council Tracker benchmark: how the main pages, the export and the reminder scan scale
with the number of commitments, next to Django admin and the bare SQL of the same rows.

    .venv/bin/python bench/run.py --sizes 1000,10000,100000,1000000
    .venv/bin/python bench/run.py --quick        # 1k only, into bench/out/RESULTS-quick.md

For each size N it builds the data set (``bench/generate.py``) in a dedicated
PostgreSQL database (``council_bench``, created and migrated if needed), runs VACUUM
ANALYZE, then times every page through the whole Django stack with ``django.test.Client``
(median of 15 runs after 3 warm-ups), counts its queries, times the bare SQL of the list's
rows, measures the XLSX export and the reminder scan (peak memory in a fresh subprocess),
and keeps the EXPLAIN ANALYZE of the slowest queries. It writes ``bench/RESULTS.md``,
``bench/RESULTS.png`` (the plot), ``bench/out/results.json`` and ``bench/out/plans/<N>/``.

Nothing here asserts a time: the targets are reported, met or not. The functions are
importable (``tests/test_bench_smoke.py`` runs them once on a tiny data set).
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import math
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
OUT_DIR = BENCH_DIR / "out"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/council_bench"
SIZES = [1_000, 10_000, 100_000, 1_000_000]
RUNS = 15
WARMUP = 3
# A request slower than this in its first warm-up is measured 5 times (after 1 warm-up).
SLOW_SECONDS = 1.0
SLOW_RUNS = 5
EXPORT_RUNS = 3  # the export is timed 3 times after 1 warm-up
LIST_STATUS = "completed"  # the most common status: the filtered list keeps thousands of rows
DEEP_PAGE = 200
EXPORT_ROWS = 10_000
PAGE_SIZE = 25  # council.views.PAGE_SIZE, checked in scenario()

# Every row of the results table: (key, label). The smoke test checks each is reported.
ROWS = [
    ("list_first", "List, first page (ours)"),
    ("list_deep", "List, deep page (ours)"),
    ("list_last", "List, last page (ours)"),
    ("list_partial", "List, first page, htmx partial (no filter form)"),
    ("admin_first", "Admin changelist, first page"),
    ("admin_deep", "Admin changelist, deep page (same offset)"),
    ("sql_first", "Bare SQL, list rows, first page"),
    ("sql_deep", "Bare SQL, list rows, deep page (keyset, as the page runs it)"),
    ("sql_deep_offset", "Bare SQL, same deep page by OFFSET (contrast)"),
    ("sql_count", "Bare SQL, capped COUNT of the filtered list"),
    ("sql_page", "Bare SQL, every query of the list's first page, replayed"),
    ("healthz", "Stack floor: `/healthz` (no session, user or template)"),
    ("floor", "Lightest signed-in page (notifications, none): session, user, layout"),
    ("dashboard", "Dashboard /"),
    ("councils", "Council list"),
    ("session", "Session page (the review's session: its commitments and decisions)"),
    ("reports", "Reports dashboard, all councils (figures cached above 20k commitments)"),
    ("reports_cold", "Reports dashboard, all councils, computing its figures"),
    ("detail", "Commitment page, long history"),
    ("review", "Implementation review of a session"),
    ("compliance", "Compliance page of a council (scores per party, sector and agency)"),
    ("export_xlsx", "XLSX export (10k rows)"),
    ("scan", "Reminder scan over all N"),
]
PAGES = ["list_first", "list_deep", "list_last", "list_partial", "admin_first", "admin_deep"] + [
    "healthz",
    "floor",
    "dashboard",
    "councils",
    "session",
    "reports",
    "reports_cold",
    "detail",
    "review",
    "compliance",
    "export_xlsx",
]
RATIOS = [
    ("ratio_admin_first", "Ours / admin, first page", "list_first", "admin_first"),
    ("ratio_admin_deep", "Ours / admin, deep page", "list_deep", "admin_deep"),
    ("ratio_sql_first", "Ours / bare SQL, first page", "list_first", "sql_first"),
    ("ratio_sql_deep", "Ours / bare SQL, deep page", "list_deep", "sql_deep"),
    ("ratio_sql_page", "Ours / all the page's queries, first page", "list_first", "sql_page"),
    ("ratio_floor", "Ours / lightest signed-in page, first page", "list_first", "floor"),
]


# Set-up -----------------------------------------------------------------------------------


def configure(database_url: str) -> None:
    """Point Django at the benchmark database, with production-like request handling."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "council.settings")
    os.environ["DEBUG"] = "false"  # no query log, no debug templates
    os.environ["DB_CONN_MAX_AGE"] = "600"  # persistent connections, as in production
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.pop("REDIS_URL", None)  # pages never touch Redis; tasks would run in-process
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_database(database_url: str, *, recreate: bool = False) -> None:
    """Create the benchmark database if the server does not have it yet (or afresh)."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name = conninfo_to_dict(database_url).get("dbname") or ""
    with psycopg.connect(make_conninfo(database_url, dbname="postgres"), autocommit=True) as c:
        if recreate:
            if "bench" not in name:
                raise SystemExit(f"Refusing to drop {name!r}: its name does not say bench.")
            c.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def generate(n: int) -> dict:
    from bench.generate import generate as build

    started = time.perf_counter()
    summary = build(n, log=lambda message: print(message, flush=True))
    summary["seconds"] = time.perf_counter() - started
    return summary


def vacuum_analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# The data the pages are measured on -----------------------------------------------------


def scenario(n: int) -> dict:
    """Pick, on the data set in the database, what each page is measured with."""
    from django.db.models import Count

    from bench.generate import LONG_HISTORY_MARK
    from council import views
    from council.admin import CommitmentAdmin
    from council.models import Commitment, Responsibility, Session, StatusUpdate, User
    from council.reporting import review

    if views.PAGE_SIZE != PAGE_SIZE:
        raise RuntimeError(f"council.views.PAGE_SIZE is {views.PAGE_SIZE}, bench expects 25")
    council_id = (
        Commitment.objects.values("council")
        .annotate(n=Count("pk"))
        .order_by("-n", "council")[0]["council"]
    )
    agency_id = (
        Responsibility.objects.filter(
            commitment__session__council=council_id, commitment__status=LIST_STATUS
        )
        .values("agency")
        .annotate(n=Count("commitment", distinct=True))
        .order_by("-n", "agency")[0]["agency"]
    )
    matched = (
        Commitment.objects.filter(session__council=council_id, status=LIST_STATUS)
        .filter(responsibilities__agency=agency_id)
        .distinct()
        .count()
    )
    admin_matched = Commitment.objects.filter(
        session__council=council_id, status=LIST_STATUS
    ).count()
    last_page = max(1, math.ceil(matched / PAGE_SIZE))
    deep_page = min(DEEP_PAGE, last_page)
    per_admin_page = CommitmentAdmin.list_per_page
    admin_deep = min(
        max(1, math.ceil(admin_matched / per_admin_page)),
        (deep_page - 1) * PAGE_SIZE // per_admin_page + 1,
    )
    # The deep page is reached as a user reaches it, by the Next link: its cursor holds
    # the sort key of the last row of the page before (computed here directly).
    deep_cursor = None
    if deep_page > 1:
        from django.db.models import Exists, OuterRef

        from council import paging
        from council.models import DEADLINE_KEY

        before_deep = (
            Commitment.objects.filter(council=council_id, status=LIST_STATUS)
            .filter(
                Exists(Responsibility.objects.filter(commitment=OuterRef("pk"), agency=agency_id))
            )
            .annotate(deadline_key=DEADLINE_KEY)
            .order_by("deadline_key", "pk")
            .values_list("deadline_key", "pk")[(deep_page - 1) * PAGE_SIZE - 1]
        )
        cap = views.LIST_COUNT_CAP  # a Next link carries the first page's capped count
        deep_cursor = paging.encode(
            "deadline",
            list(before_deep),
            (deep_page - 1) * PAGE_SIZE + 1,
            (min(matched, cap), matched > cap),
        )
    long_history = (
        Commitment.objects.filter(title__startswith=LONG_HISTORY_MARK).values_list("pk", flat=True)
    ).first()
    if long_history is None:
        long_history = (
            StatusUpdate.objects.values("commitment")
            .annotate(n=Count("pk"))
            .order_by("-n")[0]["commitment"]
        )
    review_session = (
        Session.objects.filter(council=council_id, status=Session.Status.HELD)
        .order_by("-number")
        .first()
    )
    export_query: dict[str, str] = {}
    if Commitment.objects.count() > EXPORT_ROWS:
        dated = Commitment.objects.exclude(deadline=None).order_by("deadline", "pk")
        first = dated.values_list("deadline", flat=True)[0]
        last = dated.values_list("deadline", flat=True)[EXPORT_ROWS - 1]
        export_query = {"deadline_after": first.isoformat(), "deadline_before": last.isoformat()}
        export_rows = Commitment.objects.filter(deadline__gte=first, deadline__lte=last).count()
    else:
        export_rows = Commitment.objects.count()
    return {
        "n": n,
        "council_id": council_id,
        "agency_id": agency_id,
        "status": LIST_STATUS,
        "matched": matched,
        "admin_matched": admin_matched,
        "deep_page": deep_page,
        "deep_cursor": deep_cursor,
        "last_page": last_page,
        "admin_deep_page": admin_deep,
        "admin_per_page": per_admin_page,
        "admin_order": CommitmentAdmin.list_display.index("deadline_display"),
        "long_history_id": long_history,
        "long_history_updates": StatusUpdate.objects.filter(commitment=long_history).count(),
        "review_session_id": review_session.pk,
        "review_rows": review.reviewed_commitments(review_session).count(),
        "export_query": export_query,
        "export_rows": export_rows,
        "manager_id": User.objects.get(username="bench-manager").pk,
        "admin_id": User.objects.get(username="bench-admin").pk,
    }


def urls(sc: dict) -> dict[str, str]:
    from django.urls import reverse

    listing = (
        reverse("council:commitment-list")
        + "?"
        + urlencode(
            {
                "council": sc["council_id"],
                "status": sc["status"],
                "agency": sc["agency_id"],
                "ordering": "deadline",
            }
        )
    )
    admin = (
        reverse("admin:council_commitment_changelist")
        + "?"
        + urlencode(
            {
                "session__council__id__exact": sc["council_id"],
                "status__exact": sc["status"],
                "o": sc["admin_order"],
            }
        )
    )
    export = reverse("council:commitment-export", args=["xlsx"])
    return {
        "list_first": listing,
        "list_deep": (
            f"{listing}&" + urlencode({"after": sc["deep_cursor"]})
            if sc["deep_cursor"]
            else listing
        ),
        "list_last": f"{listing}&last=1",
        "list_partial": listing,
        "admin_first": admin,
        "admin_deep": f"{admin}&p={sc['admin_deep_page']}",
        "healthz": reverse("healthz"),
        "floor": reverse("council:notification-list"),
        "dashboard": reverse("council:dashboard"),
        "councils": reverse("council:council-list"),
        "session": reverse("council:session-detail", args=[sc["review_session_id"]]),
        "reports": reverse("council:report-dashboard"),
        "reports_cold": reverse("council:report-dashboard"),
        "detail": reverse("council:commitment-detail", args=[sc["long_history_id"]]),
        "review": reverse("council:session-review", args=[sc["review_session_id"]]),
        "compliance": reverse("council:council-compliance", args=[sc["council_id"]]),
        "export_xlsx": export + ("?" + urlencode(sc["export_query"]) if sc["export_query"] else ""),
        # A one-row export: loads openpyxl before memory is measured.
        "export_warm": export + "?" + urlencode({"council": sc["council_id"], "q": "no such"}),
    }


def clients(sc: dict):
    from django.test import Client

    from council.models import User

    manager, admin = Client(), Client()
    manager.force_login(User.objects.get(pk=sc["manager_id"]))
    admin.force_login(User.objects.get(pk=sc["admin_id"]))
    return manager, admin


# Measuring ------------------------------------------------------------------------------


HTMX_PAGES = {"list_partial"}  # requested as htmx does: the results partial only


def _empty_cache() -> None:
    from django.core.cache import cache

    cache.clear()


# Run before each request of a page (not timed): the cold report computes its figures.
BEFORE = {"reports_cold": _empty_cache}


def _fetch(client, url: str, *, htmx: bool = False):
    """GET through the whole stack and read the body (streamed or not)."""
    response = client.get(url, headers={"HX-Request": "true"} if htmx else None)
    size = 0
    if response.streaming:
        for chunk in response.streaming_content:
            size += len(chunk)
    else:
        size = len(response.content)
    # No response.close(): the test client closes it (and for a streamed response, once
    # the content is read) without letting request_finished close the connection.
    return response.status_code, size


fetch = _fetch


def time_request(
    client,
    url: str,
    *,
    runs: int = RUNS,
    warmup: int = WARMUP,
    htmx: bool = False,
    before=None,
) -> dict:
    """Median server time of ``url``, its query count and its slowest queries; ``before``
    runs ahead of every request, untimed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def fetch(client, url):
        if before:
            before()
        return _fetch(client, url, htmx=htmx)

    if before:
        before()
    started = time.perf_counter()
    status, size = _fetch(client, url, htmx=htmx)
    first = time.perf_counter() - started
    if first > SLOW_SECONDS:
        runs, warmup = min(runs, SLOW_RUNS), min(warmup, 1)
    for _ in range(max(0, warmup - 1)):
        fetch(client, url)
    with CaptureQueriesContext(connection) as captured:
        fetch(client, url)
    # Read now: the next request's request_started signal empties the query log.
    queries = [{"ms": float(q["time"]) * 1000, "sql": q["sql"]} for q in captured.captured_queries]
    times = []
    for _ in range(max(1, runs)):
        if before:
            before()
        started = time.perf_counter()
        status, size = _fetch(client, url, htmx=htmx)
        times.append(time.perf_counter() - started)
    return {
        "url": url,
        "status": status,
        "bytes": size,
        "runs": len(times),
        "median_ms": statistics.median(times) * 1000,
        "min_ms": min(times) * 1000,
        "queries": len(queries),
        "db_ms": sum(q["ms"] for q in queries),
        "slowest": sorted(queries, key=lambda q: -q["ms"])[:3],
        "all_queries": queries,
    }


def rows_query(page: dict) -> str | None:
    """The SQL that loads the rows of a list page (the one with LIMIT, not the COUNT)."""
    for query in page["all_queries"]:
        text = query["sql"]
        if (
            text.startswith("SELECT")
            and 'FROM "council_commitment"' in text
            and " LIMIT " in text
            and not text.startswith("SELECT COUNT")
        ):
            return text
    return None


def offset_query(first_page_sql: str | None, offset: int) -> str | None:
    """The first page's rows query turned into a numbered page's: LIMIT 25 OFFSET k. A
    page sorted apart (``paging.Ordering.apart``) has its LIMIT in the subquery of its
    ids, which the rest of the query closes: the last LIMIT is replaced where it stands."""
    limits = list(re.finditer(r" LIMIT \d+(?: OFFSET \d+)?", first_page_sql or ""))
    if not limits:
        return None
    last = limits[-1]
    paged = f" LIMIT {PAGE_SIZE} OFFSET {offset}"
    return first_page_sql[: last.start()] + paged + first_page_sql[last.end() :]


def count_query(page: dict) -> str | None:
    for query in page["all_queries"]:
        if query["sql"].startswith("SELECT COUNT(*)") and "council_commitment" in query["sql"]:
            return query["sql"]
    return None


def page_queries(page: dict) -> list[str]:
    """Every SELECT a page sent (a server-side cursor's DECLARE as its SELECT), in order."""
    texts = []
    for query in page["all_queries"]:
        text = query["sql"]
        if text.startswith("DECLARE ") and " FOR SELECT " in text:
            text = text.split(" FOR ", 1)[1]
        if text.startswith("SELECT"):
            texts.append(text)
    return texts


def time_sql_batch(texts: list[str], *, runs: int = RUNS, warmup: int = WARMUP) -> dict:
    """Median time of sending ``texts`` one after another and fetching every row."""
    from django.db import connection

    def once(cursor):
        started = time.perf_counter()
        for text in texts:
            cursor.execute(text)
            cursor.fetchall()
        return time.perf_counter() - started

    with connection.cursor() as cursor:
        for _ in range(max(1, warmup)):
            once(cursor)
        times = [once(cursor) for _ in range(max(1, runs))]
    return {
        "median_ms": statistics.median(times) * 1000,
        "min_ms": min(times) * 1000,
        "statements": len(texts),
        "runs": len(times),
    }


def time_sql(text: str, *, runs: int = RUNS, warmup: int = WARMUP) -> dict:
    """Median time of one statement sent as is (parameters already inlined)."""
    from django.db import connection

    def once(cursor):
        started = time.perf_counter()
        cursor.execute(text)
        rows = len(cursor.fetchall())
        return time.perf_counter() - started, rows

    with connection.cursor() as cursor:
        first, rows = once(cursor)
        if first > SLOW_SECONDS:
            runs, warmup = min(runs, SLOW_RUNS), 1
        for _ in range(max(0, warmup - 1)):
            once(cursor)
        times = [once(cursor)[0] for _ in range(max(1, runs))]
    return {
        "median_ms": statistics.median(times) * 1000,
        "min_ms": min(times) * 1000,
        "rows": rows,
        "runs": len(times),
    }


def explain(text: str, params=None) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + text, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def execution_ms(plan: str) -> float | None:
    for line in plan.splitlines():
        if line.startswith("Execution Time:"):
            return float(line.split()[2])
    return None


def maxrss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def measure_memory(operation, warm) -> dict:
    """Peak Python memory (tracemalloc) and growth of the process's peak RSS during
    ``operation``, after ``warm`` has loaded what it imports."""
    warm()
    gc.collect()
    rss_before = maxrss_bytes()
    tracemalloc.start()
    started = time.perf_counter()
    result = operation()
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "peak_python_bytes": peak,
        "rss_growth_bytes": max(0, maxrss_bytes() - rss_before),
        "seconds_traced": seconds,
        **(result or {}),
    }


def export_memory(sc: dict) -> dict:
    manager, _admin = clients(sc)
    addresses = urls(sc)

    def run():
        status, size = fetch(manager, addresses["export_xlsx"])
        return {"status": status, "bytes": size}

    return measure_memory(run, lambda: fetch(manager, addresses["export_warm"]))


def scan_consume(today: datetime.date) -> dict:
    from council.reminders import due_reminders

    due = 0
    for _reminder in due_reminders(today):
        due += 1
    return {"due": due}


def scan_memory(today: datetime.date) -> dict:
    from council.reminders import Recipients

    return measure_memory(lambda: scan_consume(today), Recipients)


def in_subprocess(kind: str, database_url: str, payload: dict) -> dict:
    """Run a memory measurement in a fresh interpreter, so earlier runs leave no trace."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        kind,
        "--database-url",
        database_url,
        "--payload",
        json.dumps(payload),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)  # noqa: S603
    if done.returncode:
        raise RuntimeError(f"worker {kind} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def scan_checked(today: datetime.date) -> int:
    """How many commitments the scan's passes read (open, dated, in each rule's window)."""
    from council.models import Commitment, ReminderRule

    rules = {rule.kind: rule for rule in ReminderRule.objects.filter(is_active=True)}
    dated = Commitment.objects.open().filter(deadline_kind=Commitment.DeadlineKind.DATE)
    checked = 0
    rule = rules.get(ReminderRule.Kind.BEFORE_DEADLINE)
    if rule and rule.day_list:
        checked += dated.filter(
            deadline__gte=today, deadline__lte=today + datetime.timedelta(days=max(rule.day_list))
        ).count()
    rule = rules.get(ReminderRule.Kind.OVERDUE)
    if rule:
        first = (rule.day_list or [1])[-1]
        checked += dated.filter(deadline__lte=today - datetime.timedelta(days=first)).count()
    rule = rules.get(ReminderRule.Kind.ESCALATION)
    if rule and rule.day_list:
        after = rule.day_list[-1]
        checked += dated.filter(deadline__lte=today - datetime.timedelta(days=after)).count()
    return checked


def scan_plan(today: datetime.date) -> str:
    """EXPLAIN ANALYZE of the scan's biggest query (the overdue pass of ``_open_dated``)."""
    from council.models import Commitment

    late = (
        Commitment.objects.filter(deadline__lte=today - datetime.timedelta(days=1))
        .filter(status__in=Commitment.OPEN_STATUSES, deadline_kind=Commitment.DeadlineKind.DATE)
        .order_by("deadline", "pk")
        .values_list("pk", "session__council_id", "deadline")
    )
    text, params = late.query.sql_with_params()
    return explain(text, params)


def time_scan(today: datetime.date, *, runs: int) -> dict:
    scan_consume(today)  # warm-up
    times, due = [], 0
    for _ in range(max(1, runs)):
        started = time.perf_counter()
        due = scan_consume(today)["due"]
        times.append(time.perf_counter() - started)
    return {
        "median_ms": statistics.median(times) * 1000,
        "min_ms": min(times) * 1000,
        "runs": len(times),
        "due": due,
    }


def measure_size(
    n: int,
    *,
    runs: int = RUNS,
    warmup: int = WARMUP,
    build: bool = True,
    vacuum: bool = True,
    isolate: bool = True,
    database_url: str = DEFAULT_DATABASE_URL,
    plans_dir: Path | None = None,
) -> dict:
    """Everything for one size N; ``isolate`` measures memory in subprocesses."""
    from django.db import connection

    from council.querysets import local_today

    result: dict = {
        "n": n,
        "measured_at": datetime.datetime.now().isoformat(timespec="seconds"),
        "load_before": os.getloadavg()[0],
    }
    if build:
        result["generation"] = generate(n)
    if vacuum:
        started = time.perf_counter()
        vacuum_analyze()
        result["vacuum_seconds"] = time.perf_counter() - started
    sc = scenario(n)
    result["scenario"] = sc
    addresses = urls(sc)
    manager, admin = clients(sc)
    pages: dict[str, dict] = {}
    for key in PAGES:
        client = admin if key.startswith("admin") else manager
        page_runs, page_warmup = (runs, warmup)
        if key == "export_xlsx":
            page_runs, page_warmup = min(runs, EXPORT_RUNS), min(warmup, 1)
        print(f"  {key:<12} {addresses[key]}", flush=True)
        pages[key] = time_request(
            client,
            addresses[key],
            runs=page_runs,
            warmup=page_warmup,
            htmx=key in HTMX_PAGES,
            before=BEFORE.get(key),
        )
        print(
            f"  {'':<12} {pages[key]['median_ms']:9.1f} ms  {pages[key]['queries']:3d} queries"
            f"  status {pages[key]['status']}",
            flush=True,
        )
    sql: dict[str, dict] = {}
    for key, page in (("sql_first", "list_first"), ("sql_deep", "list_deep")):
        text = rows_query(pages[page])
        sql[key] = time_sql(text, runs=runs, warmup=warmup) if text else {"median_ms": None}
        sql[key]["sql"] = text
    # The contrast: the same rows fetched as numbered pages do, with OFFSET.
    text = offset_query(sql["sql_first"].get("sql"), (sc["deep_page"] - 1) * PAGE_SIZE)
    sql["sql_deep_offset"] = (
        time_sql(text, runs=runs, warmup=warmup) if text else {"median_ms": None}
    )
    sql["sql_deep_offset"]["sql"] = text
    text = count_query(pages["list_first"])
    sql["sql_count"] = time_sql(text, runs=runs, warmup=warmup) if text else {"median_ms": None}
    sql["sql_count"]["sql"] = text
    # The floor of the whole page's database work: all its queries, sent bare.
    texts = page_queries(pages["list_first"])
    sql["sql_page"] = time_sql_batch(texts, runs=runs, warmup=warmup)
    sql["sql_page"]["sql"] = ";\n".join(texts)
    for key in sql:
        print(f"  {key:<12} {sql[key]['median_ms'] or 0:9.1f} ms", flush=True)
    result["sql"] = sql

    today = local_today()
    scan = time_scan(today, runs=max(1, min(runs, 3)))
    scan["checked"] = scan_checked(today)
    scan["checked_per_s"] = scan["checked"] / (scan["median_ms"] / 1000) if scan["median_ms"] else 0
    scan["n_per_s"] = n / (scan["median_ms"] / 1000) if scan["median_ms"] else 0
    plan = scan_plan(today)
    scan["plan"] = plan
    scan["uses_partial_index"] = "commitment_open_deadline_idx" in plan
    scan["plan_ms"] = execution_ms(plan)
    print(
        f"  scan         {scan['median_ms']:9.1f} ms  {scan['checked']} checked, "
        f"{scan['due']} due, partial index used: {scan['uses_partial_index']}",
        flush=True,
    )
    if isolate:
        scan.update(in_subprocess("scan", database_url, {"today": today.isoformat()}))
        export = in_subprocess("export", database_url, {"scenario": sc})
    else:
        scan.update(scan_memory(today))
        export = export_memory(sc)
    pages["export_xlsx"]["memory"] = export
    result["scan"] = scan
    result["pages"] = pages
    print(
        f"  memory       export peak {export['peak_python_bytes'] / 2**20:.1f} MiB, "
        f"scan peak {scan['peak_python_bytes'] / 2**20:.1f} MiB",
        flush=True,
    )
    if plans_dir is not None:
        write_plans(plans_dir / str(n), pages, sql, scan)
    for page in pages.values():
        page.pop("all_queries", None)
    result["database_bytes"] = _database_size(connection)
    result["load_after"] = os.getloadavg()[0]
    return result


def _database_size(connection) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def write_plans(directory: Path, pages: dict, sql: dict, scan: dict) -> None:
    """The EXPLAIN ANALYZE of each page's slowest SELECTs, and of the scan's main query."""
    directory.mkdir(parents=True, exist_ok=True)
    for key, page in pages.items():
        lines = [f"# {key}: {page['url']}", f"# {page['queries']} queries, {page['db_ms']:.1f} ms"]
        lines.append("\n## every query (ms, first 200 characters)")
        lines += [f"{q['ms']:8.2f}  {q['sql'][:200]}" for q in page.get("all_queries", [])]
        for query in page["slowest"]:
            lines.append(f"\n## {query['ms']:.2f} ms\n{query['sql']}\n")
            if query["sql"].startswith("SELECT"):
                lines.append(explain(query["sql"]))
        (directory / f"{key}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for key, item in sql.items():
        if item.get("sql"):
            # The replayed page is several statements: listed, each one's plan in its page file.
            plan = "" if "statements" in item else explain(item["sql"])
            text = f"# {key}\n{item['sql']}\n\n{plan}\n"
            (directory / f"{key}.txt").write_text(text, encoding="utf-8")
    (directory / "scan.txt").write_text(scan["plan"] + "\n", encoding="utf-8")


# Reporting ----------------------------------------------------------------------------------


def describe_machine() -> dict:
    import django
    from django.db import connection

    def run(*command):
        try:
            return subprocess.run(command, capture_output=True, text=True, check=False).stdout  # noqa: S603
        except OSError:
            return ""

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]
        cursor.execute(
            "SELECT name, current_setting(name) FROM pg_settings WHERE name IN "
            "('shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', "
            "'jit', 'max_parallel_workers_per_gather') ORDER BY name"
        )
        pg_settings = [f"{name}={setting}" for name, setting in cursor.fetchall()]
    commit = run("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD").strip()
    dirty = bool(run("git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"))
    return {
        "nproc": os.cpu_count(),
        "cpu": _cpu_model(),
        "free_h": run("free", "-h").rstrip(),
        "postgresql": version,
        "postgresql_settings": pg_settings,
        "python": platform.python_version(),
        "django": django.get_version(),
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _size(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def _ms(value) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _mib(value) -> str:
    return "—" if value is None else f"{value / 2**20:.1f}"


def value_of(result: dict, key: str, stat: str = "median_ms") -> float | None:
    """The median (or ``min_ms``: the best run) of one row of the table for one size."""
    if key in result["pages"]:
        return result["pages"][key].get(stat)
    if key in result["sql"]:
        return result["sql"][key].get(stat)
    if key == "scan":
        return result["scan"].get(stat)
    return None


def ratio(a, b) -> float | None:
    return a / b if a is not None and b else None


def targets(results: dict[int, dict]) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) for every target of issue 7, on the sizes measured."""
    sizes = sorted(results)
    small, big = results[sizes[0]], results[sizes[-1]]
    label = f"T({_size(sizes[-1])})/T({_size(sizes[0])})"
    rows = []

    def verdict(ok):
        return "—" if ok is None else ("met" if ok else "**not met**")

    for key, name in (("list_first", "list, first page"), ("list_deep", "list, deep page")):
        r = ratio(value_of(big, key), value_of(small, key))
        rows.append(
            (
                f"{label} ≤ 1.5 for the {name}",
                "—" if r is None else f"{r:.2f}",
                verdict(r and r <= 1.5),
            )
        )
    for key, other, name, limit in (
        ("list_first", "admin_first", "admin, first page", 0.5),
        ("list_deep", "admin_deep", "admin, deep page", 0.5),
        ("list_first", "sql_first", "bare SQL, first page", 3),
        ("list_deep", "sql_deep", "bare SQL, deep page", 3),
    ):
        r = ratio(value_of(big, key), value_of(big, other))
        rows.append(
            (
                f"list at {_size(sizes[-1])} ≤ {limit}× {name}",
                "—" if r is None else f"{r:.2f}×",
                verdict(r is not None and r <= limit),
            )
        )
    for key, name in (("dashboard", "dashboard"), ("review", "implementation review")):
        value = value_of(big, key)
        rows.append(
            (
                f"{name} ≤ 200 ms at {_size(sizes[-1])}",
                f"{_ms(value)} ms",
                verdict(None if value is None else value <= 200),
            )
        )
    tp = big.get("throughput")
    if tp and "ratio" in tp:
        rows.append(
            (
                "list ≥ 0.5× the requests/s of a trivial view (gunicorn, 2 workers)",
                f"{tp['ratio']:.2f}× ({tp['list']['rps']:,.0f} vs {tp['trivial']['rps']:,.0f}/s)",
                verdict(tp["ratio"] >= 0.5),
            )
        )
    dl = big.get("delivery")
    if dl:
        rows.append(
            (
                f"{dl['reminders']:,} reminders delivered by one worker in ≤ 60 s",
                f"{dl['seconds']:.1f} s",
                verdict(dl["reminders"] >= 1000 and dl["seconds"] <= 60),
            )
        )
    scan = big["scan"]
    rows.append(
        (
            "scan uses an index scan on the partial index",
            "yes" if scan["uses_partial_index"] else "no: " + _plan_summary(scan["plan"]),
            verdict(scan["uses_partial_index"]),
        )
    )
    rows.append(
        (
            "scan checks ≥ 10,000 commitments per second",
            f"{scan['checked_per_s']:,.0f}/s ({scan['checked']:,} in {_ms(scan['median_ms'])} ms)",
            verdict(scan["checked_per_s"] >= 10_000),
        )
    )
    # Memory is "flat" when the last tenfold step of N does not raise the peak by half
    # (the smaller sizes scan fewer chunks and export fewer than 10k rows).
    previous = results[sizes[-2]] if len(sizes) > 1 else small
    step = f"{_size(sizes[-2] if len(sizes) > 1 else sizes[0])}"
    for name, small_value, big_value in (
        (
            "scan memory flat in N",
            previous["scan"]["peak_python_bytes"],
            big["scan"]["peak_python_bytes"],
        ),
        (
            "export memory flat in N",
            previous["pages"]["export_xlsx"]["memory"]["peak_python_bytes"],
            big["pages"]["export_xlsx"]["memory"]["peak_python_bytes"],
        ),
    ):
        r = ratio(big_value, small_value)
        rows.append(
            (
                f"{name} (peak at {_size(sizes[-1])} ≤ 1.5× peak at {step})",
                f"{_mib(small_value)} → {_mib(big_value)} MiB",
                verdict(r is not None and r <= 1.5),
            )
        )
    return rows


def unmet_notes(results: dict[int, dict]) -> list[str]:
    """What the two targets about the stack's floor compare, in this run's numbers."""
    big = results[max(results)]
    n = _size(max(results))
    rows, page_sql = value_of(big, "sql_first"), value_of(big, "sql_page")
    floor, listing = value_of(big, "floor"), value_of(big, "list_first")
    if None in (rows, page_sql, floor, listing):
        return []
    lines = [
        "",
        "### What the targets not met compare",
        "",
        f"- **≤ 3× the bare SQL.** At {n} the list's rows query takes {_ms(rows)} ms, so the "
        f"target asks for a page served in {_ms(3 * rows)} ms. The lightest signed-in page "
        f"of ours (session, user, navigation, layout) takes {_ms(floor)} ms, "
        f"{floor / rows:.0f}× that query, before any work of the list. All "
        f"{big['pages']['list_first']['queries']} queries of the list's page, sent bare, take "
        f"{_ms(page_sql)} ms: the page costs {listing / page_sql:.1f}× its whole database "
        f"work, and {listing / floor:.1f}× the lightest page.",
    ]
    tp = big.get("throughput")
    if tp and "floor" in tp:
        lines.append(
            f"- **≥ 0.5× a trivial view's requests/s.** `/healthz` loads no session, no user "
            f"and no template; the lightest signed-in page already serves "
            f"{tp['floor']['rps'] / tp['trivial']['rps']:.2f}× its rate, and the list "
            f"{tp['ratio_floor']:.2f}× the lightest page's. Half the trivial view's rate would "
            "take serving whole pages from a cache, which a list drawn per user's councils "
            "with live statuses cannot do without showing stale or another user's rows."
        )
    return lines


def _plan_summary(plan: str) -> str:
    for line in plan.splitlines():
        stripped = line.strip().lstrip("-> ").strip()
        if "Scan" in stripped:
            return stripped.split("  (")[0]
    return "?"


def report_markdown(
    results: dict[int, dict], machine: dict, command: str = "", plot_name: str = "RESULTS.png"
) -> str:
    sizes = sorted(results)
    head = "| | " + " | ".join(f"N = {_size(n)}" for n in sizes) + " |"
    rule = "|---|" + "---:|" * len(sizes)
    growth_label = f"T({_size(sizes[-1])})/T({_size(sizes[0])})"
    out = ["# Council Tracker benchmark results", ""]
    out += [
        "Generated by `bench/run.py` (see `bench/README.md`); nothing here is asserted.",
        "",
        "## Machine",
        "",
        f"- CPU: {machine['nproc']} cores ({machine['cpu']})",
        f"- PostgreSQL: {machine['postgresql']}",
        "- PostgreSQL settings as the app's connections see them (the server's own are "
        "its defaults, untouched; the app asks for no parallel workers per query, see "
        "`DB_PARALLEL_WORKERS` in `council/settings.py`): "
        + ", ".join(machine["postgresql_settings"]),
        f"- Python {machine['python']}, Django {machine['django']}, commit {machine['commit']}",
        "- `free -h`:",
        "",
        "```",
        machine["free_h"],
        "```",
        "",
        "## Reproduce",
        "",
        "```sh",
        ".venv/bin/pip install matplotlib   # for the plot only",
        command or ".venv/bin/python bench/run.py --sizes " + ",".join(str(n) for n in sizes),
        "```",
        "",
        "## Server time, median (ms)",
        "",
        "Pages through the full Django stack (`django.test.Client`, signed in as the manager; "
        "admin as a superuser); median of 15 runs after 3 warm-ups (5 after 1 when a request "
        "takes over 1 s, and for the export). Bare SQL: the page's own rows query (LIMIT/OFFSET, "
        "captured from the page) sent as is through the same connection.",
        "",
        head + f" {growth_label} |",
        rule + "---:|",
    ]
    for key, label in ROWS:
        values = [value_of(results[n], key) for n in sizes]
        growth = ratio(values[-1], values[0]) if len(sizes) > 1 else None
        line = f"| {label} | " + " | ".join(_ms(v) for v in values) + " |"
        line += f" {growth:.1f} |" if growth else " — |"
        out.append(line)
    out += [
        "",
        "## Server time, best run (ms)",
        "",
        "The fastest of the same runs: less sensitive to other load on the machine.",
        "",
        head,
        rule,
    ]
    for key, label in ROWS:
        values = [value_of(results[n], key, "min_ms") for n in sizes]
        out.append(f"| {label} | " + " | ".join(_ms(v) for v in values) + " |")
    out += ["", "## Ratios (medians)", "", head, rule]
    for _key, label, a, b in RATIOS:
        values = [ratio(value_of(results[n], a), value_of(results[n], b)) for n in sizes]
        out.append(
            f"| {label} | " + " | ".join("—" if v is None else f"{v:.2f}" for v in values) + " |"
        )
    out += [
        "",
        "## Where the list's time goes (first page, medians, ms)",
        "",
        "The lightest signed-in page is what any page of ours costs before its own work "
        "(session, user, navigation, layout); the replayed queries are the whole page's "
        "database work sent bare (they include the session and user lookups the floor makes "
        "too). What remains is Python: the filter form and its choices, building the "
        "queries, rows as objects, the template.",
        "",
        head,
        rule,
    ]
    for label, get in (
        ("List, first page", lambda r: value_of(r, "list_first")),
        ("Lightest signed-in page", lambda r: value_of(r, "floor")),
        ("Every query of the page, replayed bare", lambda r: value_of(r, "sql_page")),
        (
            "Remainder (list − floor − its queries)",
            lambda r: (
                value_of(r, "list_first") - value_of(r, "floor") - value_of(r, "sql_page")
                if None not in (value_of(r, k) for k in ("list_first", "floor", "sql_page"))
                else None
            ),
        ),
    ):
        out.append(f"| {label} | " + " | ".join(_ms(get(results[n])) for n in sizes) + " |")
    out += ["", "## Queries per page", "", head, rule]
    for key in PAGES:
        label = dict(ROWS)[key]
        out.append(
            f"| {label} | "
            + " | ".join(str(results[n]["pages"][key]["queries"]) for n in sizes)
            + " |"
        )
    out += ["", "## Export and reminder scan", "", head, rule]
    lines = [
        ("XLSX export: rows", lambda r: f"{r['scenario']['export_rows']:,}"),
        (
            "XLSX export: peak Python memory (MiB, tracemalloc)",
            lambda r: _mib(r["pages"]["export_xlsx"]["memory"]["peak_python_bytes"]),
        ),
        (
            "XLSX export: growth of peak RSS (MiB)",
            lambda r: _mib(r["pages"]["export_xlsx"]["memory"]["rss_growth_bytes"]),
        ),
        ("Scan: commitments checked", lambda r: f"{r['scan']['checked']:,}"),
        ("Scan: reminders due", lambda r: f"{r['scan']['due']:,}"),
        ("Scan: checked per second", lambda r: f"{r['scan']['checked_per_s']:,.0f}"),
        ("Scan: N per second", lambda r: f"{r['scan']['n_per_s']:,.0f}"),
        ("Scan: peak Python memory (MiB)", lambda r: _mib(r["scan"]["peak_python_bytes"])),
        ("Scan: growth of peak RSS (MiB)", lambda r: _mib(r["scan"]["rss_growth_bytes"])),
        (
            "Scan: main query uses `commitment_open_deadline_idx`",
            lambda r: "yes" if r["scan"]["uses_partial_index"] else "no",
        ),
        ("Scan: main query plan", lambda r: "`" + _plan_summary(r["scan"]["plan"]) + "`"),
    ]
    for label, get in lines:
        out.append(f"| {label} | " + " | ".join(get(results[n]) for n in sizes) + " |")
    biggest = max(sizes)
    tp = results[biggest].get("throughput")
    if tp and "list" in tp:
        out += [
            "",
            f"## Throughput (N = {_size(biggest)}, gunicorn)",
            "",
            f"gunicorn with {tp['workers']} sync workers on loopback, `wrk` with "
            f"{tp['connections']} connections for {tp['seconds']} s per URL after a 2 s warm-up, "
            "signed in as the manager. The trivial view is `/healthz` (one `SELECT 1`) with the "
            "same cookie and middleware; it never reads the session or the user. The lightest "
            "signed-in page is the notifications page with none to show: the session, the user, "
            "the navigation and layout that every page of ours draws before its own work.",
            "",
            "| URL | requests/s | median latency (ms) |",
            "|---|---:|---:|",
        ]
        for name, label in (
            ("trivial", "trivial view `/healthz`"),
            ("floor", "lightest signed-in page `/notifications/`"),
            ("list", "commitment list"),
        ):
            row = tp.get(name)
            if row:
                out.append(f"| {label} | {row['rps']:,.1f} | {_ms(row['p50_ms'])} |")
        out += ["", f"Ratio list / trivial: **{tp['ratio']:.2f}**."]
        if "ratio_floor" in tp:
            out[-1] += f" Ratio list / lightest signed-in page: **{tp['ratio_floor']:.2f}**."
    elif tp:
        out += ["", "## Throughput", "", f"Not measured: {tp.get('skipped')}."]
    dl = results[biggest].get("delivery")
    if dl:
        out += [
            "",
            f"## Reminder delivery (N = {_size(biggest)})",
            "",
            f"{dl['reminders']:,} recorded reminders, one delivery task each, sent by one Celery "
            "worker (solo pool) on Redis: each locks its row, renders the message in the "
            "recipient's language, sends it through the mailer (the console backend to "
            "/dev/null, so no SMTP server's time) and marks it sent, in one transaction.",
            "",
            f"- all delivered in **{dl['seconds']:.1f} s** ({dl['per_second']:,.0f}/s; "
            f"enqueueing took {dl['enqueue_seconds']:.1f} s of it); statuses: "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(dl["statuses"].items())),
        ]
    out += ["", "## Targets", ""]
    out += [
        "Time ratios compare the largest and the smallest N measured; memory compares the "
        "two largest (the smaller sizes read fewer than one chunk and export fewer rows).",
        "",
    ]
    out += ["| target | measured | |", "|---|---|---|"]
    out += [f"| {t} | {m} | {v} |" for t, m, v in targets(results)]
    out += unmet_notes(results)
    out += ["", "## What was measured", "", head, rule]
    scenario_lines = [
        (
            "Filter: council id / agency id / status",
            lambda s: f"{s['council_id']} / {s['agency_id']} / {s['status']}",
        ),
        ("List: matching rows (pages of 25)", lambda s: f"{s['matched']:,} ({s['last_page']:,})"),
        ("List: deep page", lambda s: f"{s['deep_page']:,}"),
        (
            "Admin: matching rows (no agency filter; pages of 100)",
            lambda s: f"{s['admin_matched']:,}",
        ),
        ("Admin: deep page (same offset)", lambda s: f"{s['admin_deep_page']:,}"),
        ("Commitment page: status updates", lambda s: f"{s['long_history_updates']:,}"),
        ("Review: commitments on the page", lambda s: f"{s['review_rows']:,}"),
    ]
    for label, get in scenario_lines:
        out.append(f"| {label} | " + " | ".join(get(results[n]["scenario"]) for n in sizes) + " |")
    generation = [
        (
            "Data generation (s)",
            lambda r: f"{r['generation']['seconds']:.0f}" if "generation" in r else "—",
        ),
        ("Database size (MiB)", lambda r: _mib(r.get("database_bytes"))),
        (
            "Load average (1 min) before / after measuring",
            lambda r: f"{r.get('load_before', 0):.1f} / {r.get('load_after', 0):.1f}",
        ),
    ]
    for label, get in generation:
        out.append(f"| {label} | " + " | ".join(get(results[n]) for n in sizes) + " |")
    out += [
        "",
        "The admin changelist has no filter by responsible agency: it is measured with the "
        "same council and status filters and the same sort (deadline), so it lists more rows "
        "(see above), 100 per page. Its deep page is the one holding the same row offset as the "
        "list's deep page.",
        "",
        f"![Median server time against N, log–log]({plot_name})",
        "",
        "EXPLAIN ANALYZE of each page's slowest queries: `bench/out/plans/<N>/`. "
        "Raw numbers: `bench/out/results.json`.",
        "",
    ]
    return "\n".join(out)


LEFT_PANEL = {
    "list_first",
    "list_deep",
    "list_last",
    "list_partial",
    "admin_first",
    "admin_deep",
    "sql_first",
    "sql_deep",
    "sql_deep_offset",
    "sql_count",
    "sql_page",
    "healthz",
    "floor",
}


def plot(results: dict[int, dict], path: Path) -> bool:
    """Median time against N, log–log: the list next to admin and SQL; the other pages."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot (.venv/bin/pip install matplotlib)")
        return False
    sizes = sorted(results)
    figure, (left, right) = plt.subplots(1, 2, figsize=(15, 6.5), sharey=True)
    colours = plt.get_cmap("tab20").colors  # more rows than tab10 has colours
    used = {"left": 0, "right": 0}
    for key, label in ROWS:
        values = [value_of(results[n], key) for n in sizes]
        if any(v is None for v in values):
            continue
        side = "left" if key in LEFT_PANEL else "right"
        axes = left if side == "left" else right
        colour = colours[used[side] % len(colours)]
        used[side] += 1
        style = "--" if key.startswith("admin") else (":" if key.startswith("sql") else "-")
        axes.plot(sizes, values, style, marker="o", color=colour, label=label)
    for axes, title in (
        (left, "Commitment list: ours, admin, bare SQL"),
        (right, "Other pages, export, reminder scan"),
    ):
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.set_xlabel("commitments (N)")
        axes.set_title(title)
        axes.axhline(200, color="grey", linewidth=0.8)
        axes.grid(True, which="both", alpha=0.3)
        axes.legend(fontsize=8, loc="upper left")
    left.set_ylabel("median server time (ms); grey line: 200 ms")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return True


# Command line -------------------------------------------------------------------------------


def worker(kind: str, payload: dict) -> dict:
    if kind == "export":
        return export_memory(payload["scenario"])
    if kind == "scan":
        return scan_memory(datetime.date.fromisoformat(payload["today"]))
    raise SystemExit(f"unknown worker {kind}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(str(n) for n in SIZES))
    parser.add_argument("--quick", action="store_true", help="1k only, results in bench/out/")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--warmup", type=int, default=WARMUP)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument(
        "--reuse-data",
        action="store_true",
        help="Skip generation when the database already holds exactly N commitments.",
    )
    parser.add_argument(
        "--merge", action="store_true", help="Keep other sizes from bench/out/results.json."
    )
    parser.add_argument(
        "--recreate-database",
        action="store_true",
        help="Drop and create the bench database first (e.g. after migrations were rewritten).",
    )
    parser.add_argument("--output", help="Markdown report (default bench/RESULTS.md).")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="Measure nothing: write the report and the plot again from bench/out/results.json.",
    )
    parser.add_argument(
        "--throughput",
        action="store_true",
        help="After the largest size, requests per second under gunicorn with wrk: the "
        "list next to a trivial view (needs wrk).",
    )
    parser.add_argument(
        "--import-preview",
        action="store_true",
        help="Only time the import preview of a 200-clause protocol (bench/import_bench.py).",
    )
    parser.add_argument(
        "--matrix",
        action="store_true",
        help="After each size, the page matrix of bench/matrix.py (roles × sorts × pages, "
        "filters, searches, dashboards, reports), as a section of the report.",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--payload", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.import_preview:
        import import_bench

        return import_bench.main([])

    if args.worker:
        configure(args.database_url)
        print(json.dumps(worker(args.worker, json.loads(args.payload)), default=str))
        return 0

    sizes = [1_000] if args.quick else [int(s.replace("_", "")) for s in args.sizes.split(",")]
    default_output = OUT_DIR / "RESULTS-quick.md" if args.quick else BENCH_DIR / "RESULTS.md"
    output = Path(args.output) if args.output else default_output
    # The plot sits beside its report (bench/RESULTS.png is committed with RESULTS.md).
    plot_path = output.with_suffix(".png")
    command = ".venv/bin/python bench/run.py " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    results_path = OUT_DIR / "results.json"
    stored = json.loads(results_path.read_text()) if results_path.exists() else {}
    results: dict[int, dict] = {}
    if args.merge or args.report_only:
        results = {int(n): r for n, r in stored.get("results", {}).items()}
    if args.report_only:
        if not results:
            raise SystemExit(f"Nothing to report: {results_path} holds no results.")
        text = report_markdown(
            results, stored["machine"], command=stored.get("command", ""), plot_name=plot_path.name
        )
    else:
        ensure_database(args.database_url, recreate=args.recreate_database)
        configure(args.database_url)
        migrate()
        from council.models import Commitment

        machine = describe_machine()
        for n in sizes:
            print(f"\n== N = {n:,}", flush=True)
            build = not (args.reuse_data and Commitment.objects.count() == n)
            results[n] = measure_size(
                n,
                runs=args.runs,
                warmup=args.warmup,
                build=build,
                database_url=args.database_url,
                plans_dir=OUT_DIR / "plans",
            )
            if args.matrix:
                import matrix

                print(f"== Page matrix on N = {n:,}", flush=True)
                results[n]["matrix"] = matrix.measure(runs=min(args.runs, matrix.RUNS))
            OUT_DIR.mkdir(parents=True, exist_ok=True)
            results_path.write_text(
                json.dumps(
                    {"command": command.strip(), "machine": machine, "results": results},
                    indent=1,
                    default=str,
                ),
                encoding="utf-8",
            )
        if args.throughput:
            import throughput

            biggest = max(sizes)
            print(f"\n== Throughput on N = {biggest:,} (gunicorn, wrk)", flush=True)
            results[biggest]["throughput"] = throughput.measure(
                args.database_url, urls(results[biggest]["scenario"])["list_first"]
            )
            for name in ("trivial", "floor", "list"):
                row = results[biggest]["throughput"].get(name)
                if row:
                    print(f"  {name:<8} {row['rps']:8.1f} requests/s", flush=True)
            import delivery

            print(f"== Delivery of {delivery.COUNT:,} reminders by one worker", flush=True)
            results[biggest]["delivery"] = delivery.measure(args.database_url)
            print(f"  {results[biggest]['delivery']['seconds']:.1f} s", flush=True)
            results_path.write_text(
                json.dumps(
                    {"command": command.strip(), "machine": machine, "results": results},
                    indent=1,
                    default=str,
                ),
                encoding="utf-8",
            )
        text = report_markdown(results, machine, command=command.strip(), plot_name=plot_path.name)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    if args.matrix or any("matrix" in r for r in results.values()):
        import matrix

        for n in sorted(results):
            if "matrix" in results[n]:
                matrix.write_section(matrix.report(results[n]["matrix"]), output)
    plot(results, plot_path)
    print("\n" + text)
    print(f"Written: {output}, {results_path}, {plot_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
