"""The page matrix of issue 18: every page a user reaches by one more click, timed side by
side with the headline list in one run, so ratios (not times) are compared.

    .venv/bin/python bench/matrix.py --size 1000                 # builds 1k, ~2 minutes
    .venv/bin/python bench/matrix.py --size 1000000 --reuse-data # on an existing 1M set
    .venv/bin/python bench/run.py --quick --matrix               # after run.py's own pages
    .venv/bin/python bench/matrix.py --size 1000000 --reuse-data --api  # the JSON API
                                                     # beside the web list (issue 19)

Cases: role (manager, secretariat, focal point) × each sort of the list (both directions)
× first and deep page (page 200, reached by the cursor its Next link would carry, or the
last page when there are fewer); each filter alone and a few pairs; search (a common
word, a rare one, one matching nothing, a Russian inflected phrase, a clause number, with
a sort); dashboards per role; the council list and the biggest council's page; the
reports dashboard per role, from the councils' tallies and with none (counted on request),
the compliance page likewise, and the background scan that counts every council's
tallies. Each is reported with its median, its query count and its ratio to the headline list (the
manager's unfiltered list, first page) and to admin's changelist (first page), measured
in the same run. Cases over ``SLOW_MS`` are listed with the EXPLAIN of their slowest
query. The section is written into ``bench/RESULTS.md`` between markers (or the file
given), leaving the rest of the report as it was.
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/council_bench"
RUNS, WARMUP = 5, 1
SLOW_SECONDS, SLOW_RUNS = 1.0, 2  # a case slower than this is timed twice
SLOW_MS = 100  # the goal: every page at most 100 ms
PLAN_LINES = 30  # of each plan in the report (whole in bench/out/matrix-<N>.json)
DEEP_ROW = 4_975  # the first row of page 200 (pages of 25), 0-based: 4,975
ROLES = ("manager", "secretariat", "focal")
BEGIN, END = "<!-- matrix:begin -->", "<!-- matrix:end -->"
# Search words of the generated texts (bench/generate.py writes English titles).
SEARCHES = {
    "common word": "agreement",
    "rare word": "veterinary",
    "no match": "zzyzxq",
    "Russian, inflected": "дорожной карты",
    "clause number": "3.1",
}


def _users() -> dict:
    from council.models import User

    names = {"admin": "bench-admin", **{role: f"bench-{role}" for role in ROLES}}
    return {role: User.objects.get(username=name) for role, name in names.items()}


def _clients(users: dict) -> dict:
    from django.test import Client

    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def _api_clients(users: dict) -> dict:
    """A client per role calling the JSON API with a personal token, unthrottled."""
    from django.test import Client

    from council import services
    from council.api.throttling import PerTokenThrottle

    PerTokenThrottle.THROTTLE_RATES = {"api": "1000000/minute"}
    clients = {}
    for role in ROLES:
        _token, secret = services.api_token_create(
            user=users[role], name="bench", days=1, by=users[role]
        )
        clients[role] = Client(headers={"Authorization": f"Bearer {secret}"})
    return clients


def api_deep_cursor(user, params: dict) -> str | None:
    """The cursor the API's ``next`` link carries at row ``DEEP_ROW`` of what ``user``
    sees (the API pages by id), built as REST framework's CursorPagination encodes it."""
    from base64 import b64encode

    from council.policies import Policy

    visible = Policy(user).visible_commitments()
    if params.get("council"):
        visible = visible.filter(council=params["council"])
    if params.get("status") == "open":
        visible = visible.open()
    pks = visible.order_by("pk").values_list("pk", flat=True)[DEEP_ROW : DEEP_ROW + 1]
    return b64encode(urlencode({"p": pks[0]}).encode()).decode() if pks else None


def _picks() -> dict:
    """What the filters are measured with: the biggest council, its busiest agency…"""
    from django.db.models import Count

    from council.models import Commitment, Responsibility, Session

    council = (
        Commitment.objects.values("council").annotate(n=Count("pk")).order_by("-n", "council")
    )[0]["council"]
    agency = (
        Responsibility.objects.values("agency").annotate(n=Count("pk")).order_by("-n", "agency")
    )[0]["agency"]
    rare_agency = (
        Responsibility.objects.values("agency").annotate(n=Count("pk")).order_by("n", "agency")
    )[0]["agency"]
    party = Responsibility.objects.filter(agency=agency).values_list("party", flat=True)[0]
    session = (
        Session.objects.filter(council=council, status=Session.Status.HELD)
        .order_by("-number")
        .values_list("pk", flat=True)
        .first()
    )
    sector = (Commitment.objects.values("sector").annotate(n=Count("pk")).order_by("n", "sector"))[
        0
    ]["sector"]
    commitment = (
        Commitment.objects.filter(council=council).order_by("-pk").values_list("pk", flat=True)
    )[0]
    return {
        "council": council,
        "commitment": commitment,
        "agency": agency,
        "rare_agency": rare_agency,
        "party": party,
        "session": session,
        "sector": sector,
    }


def list_cases(picks: dict) -> list[tuple[str, str, dict]]:
    """(label, role, query parameters) of every list page measured (first pages; each
    one's deep page is added when measured)."""
    from council.querysets import LIST_ORDERINGS

    cases = []
    for role in ROLES:
        for ordering in LIST_ORDERINGS:
            params = {"ordering": ordering} if ordering else {}
            cases.append((f"sort {ordering or '(default)'}", role, params))
    filters = {
        "council": {"council": picks["council"]},
        "session": {"session": picks["session"]},
        "sector (smallest)": {"sector": picks["sector"]},
        "party": {"party": picks["party"]},
        "agency (busiest)": {"agency": picks["agency"]},
        "agency (least busy)": {"agency": picks["rare_agency"]},
        "status open": {"status": "open"},
        "status overdue": {"status": "overdue"},
        "status cancelled": {"status": "cancelled"},
        "deadline range": {"deadline_after": "2020-01-01", "deadline_before": "2020-12-31"},
    }
    for label, params in filters.items():
        cases.append((f"filter {label}", "manager", params))
        cases.append(
            (f"filter {label}, by deadline", "manager", {**params, "ordering": "deadline"})
        )
    pairs = {
        "council + status open": {"council": picks["council"], "status": "open"},
        "council + agency": {"council": picks["council"], "agency": picks["agency"]},
        "agency + status overdue": {"agency": picks["agency"], "status": "overdue"},
        "party + status open": {"party": picks["party"], "status": "open"},
        "sector + status completed": {"sector": picks["sector"], "status": "completed"},
    }
    for label, params in pairs.items():
        for ordering in ("deadline", "-title"):
            cases.append(
                (f"pair {label}, by {ordering}", "manager", {**params, "ordering": ordering})
            )
    for label, q in SEARCHES.items():
        for role in ("manager", "focal"):
            cases.append((f"search {label}", role, {"q": q}))
        cases.append((f"search {label}, by deadline", "manager", {"q": q, "ordering": "deadline"}))
        cases.append((f"search {label}, by title", "manager", {"q": q, "ordering": "title"}))
    return cases


def deep_cursor(user, params: dict) -> str | None:
    """The cursor of page 200 (or of the last page), as its Next link would carry it:
    the sort key of the row before it, its position and the first page's capped count."""
    from django.test import RequestFactory

    from council import paging
    from council.filters import CommitmentFilter
    from council.policies import policy_for
    from council.querysets import LIST_ORDERINGS
    from council.views import LIST_COUNT_CAP

    request = RequestFactory().get("/", params)
    request.user = user
    found = CommitmentFilter(
        request.GET, queryset=policy_for(request).visible_commitments(), request=request
    )
    if not found.is_valid():
        return None
    name = found.ordering_name()
    ordering = LIST_ORDERINGS[name]
    rows = found.qs
    if ordering.annotations:
        rows = rows.annotate(**dict(ordering.annotations))
    rows = rows.order_by(*ordering.order_by())
    count = rows.order_by()[: DEEP_ROW + 1].count()
    # The first row of the deep page (0-based): row 4,975, or the last page's first.
    first = min(DEEP_ROW, max(0, count - 25))
    if first <= 25:
        return None
    row = rows[first - 1]
    capped = (min(count, LIST_COUNT_CAP), count > LIST_COUNT_CAP)
    return paging.encode(name, ordering.values_of(row), first + 1, capped)


def _time(client, url: str, *, runs: int, warmup: int, before=None) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def fetch():
        if before:
            before()
        started = time.perf_counter()
        response = client.get(url)
        _ = response.content
        return time.perf_counter() - started, response

    first, response = fetch()
    if first > SLOW_SECONDS:
        runs, warmup = SLOW_RUNS, 0
    for _ in range(max(0, warmup - 1)):
        fetch()
    with CaptureQueriesContext(connection) as captured:
        _seconds, response = fetch()
    queries = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
    times = [fetch()[0] for _ in range(max(1, runs))]
    return {
        "url": url,
        "status": response.status_code,
        "median_ms": statistics.median(times) * 1000,
        "min_ms": min(times) * 1000,
        "queries": len(queries),
        "slowest": max(queries, default=(0, "")),
        "response": response,
    }


def _explain(sql: str, ms: float) -> str:
    from django.db import connection

    if not sql.startswith("SELECT"):
        return ""
    # EXPLAIN ANALYZE runs the query again: only for those that take under 3 s.
    options = "(ANALYZE, BUFFERS)" if ms < 3000 else ""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {options} {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def measure(
    *, runs: int = RUNS, warmup: int = WARMUP, log=print, api_only: bool = False, only: str = ""
) -> dict:
    from django.urls import reverse

    from council.models import Commitment

    users = _users()
    clients = _clients(users)
    picks = _picks()
    listing = reverse("council:commitment-list")
    results: list[dict] = []

    def run(label, role, url, *, before=None, kind="page", client=None):
        if only and only not in label and not label.startswith(("headline", "admin")):
            return None
        client = client or clients[role]
        measured = _time(client, url, runs=runs, warmup=warmup, before=before)
        response = measured.pop("response")
        measured.update(label=label, role=role, kind=kind)
        results.append(measured)
        log(
            f"  {measured['median_ms']:9.1f} ms {measured['queries']:3d}q "
            f"{measured['status']} {role:<11} {label}"
        )
        return response

    headline = run("headline: list, first page", "manager", listing)
    run("admin changelist, first page", "admin", reverse("admin:council_commitment_changelist"))
    for label, role, params in [] if api_only else list_cases(picks):
        url = listing + ("?" + urlencode(params) if params else "")
        response = run(label, role, url, kind="list")
        if response and response.status_code == 200 and not params.get("q", "").startswith("zz"):
            cursor = deep_cursor(users[role], params)
            if cursor:
                deep = url + ("&" if params else "?") + urlencode({"after": cursor})
                run(f"{label}, deep page", role, deep, kind="list")
    del headline
    # The JSON API's commitment list beside the web list: the same rows, by token.
    api = _api_clients(users)
    for label, params in {
        "": {},
        ", council + open": {"council": picks["council"], "status": "open"},
    }.items():
        for role in ROLES:
            query = dict(params)
            url = "/api/v1/commitments/" + ("?" + urlencode(query) if query else "")
            run(f"API list{label}, first page", role, url, kind="api", client=api[role])
            cursor = api_deep_cursor(users[role], query)
            if cursor:
                deep = url + ("&" if query else "?") + urlencode({"cursor": cursor})
                run(f"API list{label}, deep page", role, deep, kind="api", client=api[role])
    for role in ROLES:
        run("API commitment", role, f"/api/v1/commitments/{picks['commitment']}/", client=api[role])
    if api_only:
        for role in ROLES:
            run("list, first page", role, listing, kind="list")
            run("list, council + open", role, listing + "?" + urlencode(
                {"council": picks["council"], "status": "open"}), kind="list")  # fmt: skip
    for role in [] if api_only else ROLES:
        run("dashboard", role, reverse("council:dashboard"))
    if not api_only:
        # The search box in the navigation: every group a user may see, best first.
        for label, q in SEARCHES.items():
            for role in ("manager", "focal"):
                run(
                    f"search page, {label}",
                    role,
                    reverse("council:search") + "?" + urlencode({"q": q}),
                )
        run("council list", "manager", reverse("council:council-list"))
        run("council page", "manager", reverse("council:council-detail", args=[picks["council"]]))
        compliance = reverse("council:council-compliance", args=[picks["council"]])
        for role in ROLES:  # on a large archive from the council's tally (the warm-up's)
            run("compliance page", role, compliance)

        def no_compliance_tally():
            # A tally too old to read: the page adds the council up itself, as it would
            # with no scan running (a bench-only write to derived rows).
            from council.models import ComplianceTally

            ComplianceTally.objects.update(
                computed_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
            )

        run(
            "compliance page, no tally (added up on request)",
            "manager",
            compliance,
            before=no_compliance_tally,
        )
        reports = reverse("council:report-dashboard")

        def no_tally():
            # Tallies of another day: the page counts its councils itself, as it would
            # with no scan running (a bench-only write to derived rows).
            from council.models import ReportTally

            ReportTally.objects.update(day=datetime.date(2000, 1, 1))

        if not only or "report" in only:
            # What the background scan does every REPORT_CACHE_SECONDS: count every
            # council's tally. The page then adds up tallies.
            from council import services

            for name, refresh in (
                ("report tallies", services.report_tallies_refresh),
                ("compliance tallies", services.compliance_tallies_refresh),
            ):
                started = time.perf_counter()
                counted = len(refresh())
                scan_ms = (time.perf_counter() - started) * 1000
                results.append(
                    {
                        "url": "(background scan)",
                        "status": 200,
                        "median_ms": scan_ms,
                        "min_ms": scan_ms,
                        "queries": 0,
                        "slowest": (0, ""),
                        "label": f"{name} scan ({counted} councils, once)",
                        "role": "scan",
                        "kind": "scan",
                    }
                )
                log(f"  {scan_ms:9.1f} ms      scan        {results[-1]['label']}")

        for role in ROLES:
            run("reports", role, reports)
        for role in ROLES:
            run("reports, no tally (counted on request)", role, reports, before=no_tally)
    base = {r["label"]: r["median_ms"] for r in results if r["role"] in ("manager", "admin")}
    head, admin = base["headline: list, first page"], base["admin changelist, first page"]
    for row in results:
        row["vs_headline"] = row["median_ms"] / head if head else None
        row["vs_admin"] = row["median_ms"] / admin if admin else None
        ms, sql = row.pop("slowest")
        row["slowest_ms"], row["slowest_sql"] = ms, sql
        over = row["median_ms"] > SLOW_MS and row["kind"] != "scan"
        if over:
            row["plan"] = _explain(sql, ms)
    return {
        "n": Commitment.objects.count(),
        "picks": picks,
        "rows": results,
        "api_only": api_only,
    }


def report(result: dict) -> str:
    n = result["n"]
    rows = result["rows"]
    over = [r for r in rows if r.get("plan") is not None]
    title = (
        f"## JSON API beside the web list, N = {n:,} (issue 19)"
        if result.get("api_only")
        else f"## Page matrix, N = {n:,} (issue 18)"
    )
    out = [
        BEGIN,
        title,
        "",
        "`bench/matrix.py`: every case timed in one run through the whole stack "
        f"(`django.test.Client`), median of {RUNS} runs after {WARMUP} warm-up (2 runs when "
        "a request takes over 1 s). Ratios are to the headline list (the manager's "
        "unfiltered list, first page) and to the admin changelist (first page), measured "
        "in the same run; compare ratios, not times, across runs (the machine is shared). "
        "Goal: every page ≤ 100 ms and ≤ 4× the headline; the reports page, from the "
        "tallies the scan keeps, ≤ 1 s.",
        "",
        "| case | role | ms | queries | × headline | × admin |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        flag = " **⚠**" if r.get("plan") is not None else ""
        out.append(
            f"| {r['label']}{flag} | {r['role']} | {r['median_ms']:,.1f} | {r['queries']} | "
            f"{r['vs_headline']:.2f} | {r['vs_admin']:.2f} |"
        )
    out += [
        "",
        f"### Cases over {SLOW_MS} ms ({len(over)}), with the plan of the slowest query",
        "",
    ]
    if not over:
        out.append("None.")
    for r in over:
        out += [
            f"#### {r['label']} — {r['role']}: {r['median_ms']:,.0f} ms "
            f"(slowest query {r['slowest_ms']:,.0f} ms)",
            "",
            f"`{r['url'][:300]}`",
            "",
            "```",
            r["slowest_sql"][:600] + (" …" if len(r["slowest_sql"]) > 600 else ""),
            "",
            "\n".join((r["plan"] or "(not a SELECT)").splitlines()[:PLAN_LINES]),
            "```",
            "",
        ]
    out.append(END)
    return "\n".join(out)


def write_section(text: str, path: Path) -> None:
    """Put the matrix section into ``path``, replacing an earlier one of the same N."""
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    heading = text.splitlines()[1]
    kept, rest = [], current
    while BEGIN in rest and END in rest:
        before, after = rest.split(BEGIN, 1)
        section, rest = after.split(END, 1)
        kept.append(before)
        if section.strip().splitlines()[0] != heading:
            kept.append(BEGIN + section + END)
    kept.append(rest)
    body = "".join(kept).rstrip("\n")
    path.write_text(body + "\n\n" + text + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--reuse-data", action="store_true")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--output", default=str(ROOT / "bench" / "RESULTS.md"))
    parser.add_argument(
        "--api",
        action="store_true",
        help="only the JSON API's commitment list and page beside the web list (issue 19)",
    )
    parser.add_argument(
        "--only",
        default="",
        help="only the cases whose label contains this (printed, RESULTS.md left as it is)",
    )
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT / "bench"))
    from bench import run as bench_run

    bench_run.ensure_database(args.database_url)
    bench_run.configure(args.database_url)
    bench_run.migrate()
    from council.models import Commitment

    if not (args.reuse_data and Commitment.objects.count() == args.size):
        bench_run.generate(args.size)
        bench_run.vacuum_analyze()
    else:  # the indexes a migration added since need their statistics
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    result = measure(runs=args.runs, api_only=args.api, only=args.only)
    if args.only:
        return 0
    out_dir = ROOT / "bench" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"matrix-{'api-' if args.api else ''}{args.size}.json").write_text(
        json.dumps(result, indent=1, default=str), encoding="utf-8"
    )
    text = report(result)
    write_section(text, Path(args.output))
    raw = f"bench/out/matrix-{'api-' if args.api else ''}{args.size}.json"
    print(f"Written: {args.output} (section N = {result['n']:,}), {raw}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
