"""Load test: many signed-in users reading and reporting at once on gunicorn + PostgreSQL.

Run it with ``.venv/bin/python faults/load.py`` (defaults: 50 users for 120 s).
It starts a private PostgreSQL (127.0.0.1:5441) in a temporary directory, migrates a
fresh database, loads the demo, serves it with gunicorn (2 sync workers, 127.0.0.1:8011)
and runs one thread per user, each signed in as a demo user:

- focal points (``focal``, ``focal.kg``) and the secretariat read the dashboard, the
  commitment list with filters and commitment pages, and post progress reports and
  status changes (``POST /commitments/<pk>/report/`` with the CSRF token);
- managers read, and return reported completions they find in the list (a status change).

Each post carries a unique note. At the end the database is checked: every update the
server answered 302 for is stored exactly once, nothing it refused is stored. It prints
request counts, per-status codes, p50/p95 latency and requests per second, writes them
to ``faults/RESULTS.md`` (its own section) and exits non-zero on any 5xx, any lost
or doubled update, or a read or progress report that did not succeed.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import dataclasses
import datetime
import random
import re
import sys
import threading
import time
import uuid
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``faults`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from faults import infra  # noqa: E402

ROLES = ["focal", "secretariat", "focal.kg", "manager"]  # users are dealt round-robin
WRITERS = {"focal", "focal.kg", "secretariat"}
LINK = re.compile(r'href="/commitments/(\d+)/"')


@dataclasses.dataclass
class Hit:
    user: str
    kind: str  # dashboard, list, detail, report (progress), status (status change)
    started: float
    seconds: float
    status: int  # 0: no HTTP answer (refused, reset, timed out)
    note: str = ""


@dataclasses.dataclass
class Plan:
    """What one demo user may read and write, worked out from the database beforehand."""

    commitments: list[int]
    reportable: list[int]
    filters: list[str]


def plans() -> dict[str, Plan]:
    from council.models import Agency, Commitment, Party, Sector, User
    from council.policies import Policy

    found = {}
    for username in ROLES:
        policy = Policy(User.objects.get(username=username))
        visible = Commitment.objects.filter(session__council__in=policy.council_ids())
        reportable = [
            c.pk
            for c in visible.prefetch_related("responsibilities").order_by("pk")
            if policy.can_report_progress(c)
        ]
        councils = list(policy.councils().values_list("pk", flat=True))
        sectors = list(Sector.objects.values_list("pk", flat=True))
        parties = list(Party.objects.values_list("pk", flat=True))
        agencies = list(Agency.objects.values_list("pk", flat=True)[:10])
        filters = [
            "",
            "?status=open",
            "?status=overdue",
            "?status=in_progress&ordering=deadline",
            "?ordering=-deadline",
            "?ordering=title&page=1",
            "?q=trade",
            "?q=1.2",
            "?deadline_after=2026-01-01&deadline_before=2027-12-31",
            *(f"?council={c}&status=open" for c in councils),
            *(f"?sector={s}" for s in sectors[:6]),
            *(f"?party={p}&status=overdue" for p in parties),
            *(f"?agency={a}" for a in agencies[:4]),
        ]
        found[username] = Plan(
            commitments=list(visible.values_list("pk", flat=True)),
            reportable=reportable,
            filters=filters,
        )
    return found


class Browser:
    """One signed-in user (a requests session: cookies, CSRF token from the cookie)."""

    def __init__(self, base: str, username: str, password: str):
        import requests

        self.base = base
        self.username = username
        self.session = requests.Session()
        self.session.get(f"{base}/accounts/login/", timeout=60)
        response = self.session.post(
            f"{base}/accounts/login/",
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.session.cookies.get("csrftoken", ""),
            },
            allow_redirects=False,
            timeout=120,
        )
        if response.status_code != 302:
            raise infra.DrillError(f"login as {username}: {response.status_code}")

    def get(self, path: str):
        return self.session.get(f"{self.base}{path}", allow_redirects=False, timeout=30)

    def post_update(self, pk: int, note: str, to_status: str = ""):
        return self.session.post(
            f"{self.base}/commitments/{pk}/report/",
            data={
                "note": note,
                "to_status": to_status,
                "csrfmiddlewaretoken": self.session.cookies.get("csrftoken", ""),
            },
            allow_redirects=False,
            timeout=30,
        )


class Run:
    def __init__(self, args, plan: dict[str, Plan], browsers: list[Browser], run_id: str):
        self.args = args
        self.plan = plan
        self.browsers = browsers
        self.run_id = run_id
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        self.deadline = 0.0

    def user_loop(self, index: int, browser: Browser) -> None:
        import requests

        rng = random.Random(f"{self.run_id}-{index}")
        plan = self.plan[browser.username]
        writer = browser.username in WRITERS
        for _ in range(self.args.max_requests_per_user):  # bounded; the clock ends it first
            if time.monotonic() >= self.deadline:
                return
            note = ""
            roll = rng.random()
            started = time.monotonic()
            try:
                if writer and plan.reportable and roll < self.args.write_share:
                    pk = rng.choice(plan.reportable)
                    note = f"load-{self.run_id}-{uuid.uuid4().hex}"
                    if rng.random() < 0.25:  # propose completion; may be stale: 422
                        kind = "status"
                        response = browser.post_update(pk, note, "completion_reported")
                    else:
                        kind = "report"
                        response = browser.post_update(pk, note)
                elif not writer and roll < self.args.write_share / 2:
                    # A manager returns a reported completion found in the list.
                    kind = "status"
                    listing = browser.get("/commitments/?status=completion_reported")
                    found = LINK.findall(listing.text) if listing.status_code == 200 else []
                    if not found:
                        kind, response = "list", listing
                    else:
                        note = f"load-{self.run_id}-{uuid.uuid4().hex}"
                        started = time.monotonic()
                        response = browser.post_update(int(rng.choice(found)), note, "in_progress")
                elif roll < 0.45:
                    kind = "list"
                    response = browser.get("/commitments/" + rng.choice(plan.filters))
                elif roll < 0.7:
                    kind = "dashboard"
                    response = browser.get("/")
                else:
                    kind = "detail"
                    response = browser.get(f"/commitments/{rng.choice(plan.commitments)}/")
                status = response.status_code
            except requests.RequestException:
                status = 0
            hit = Hit(browser.username, kind, started, time.monotonic() - started, status, note)
            with self.lock:
                self.hits.append(hit)
            if self.args.think > 0:
                time.sleep(rng.uniform(0, self.args.think))

    def go(self) -> float:
        self.deadline = time.monotonic() + self.args.seconds
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(self.browsers)) as pool:
            futures = [pool.submit(self.user_loop, i, b) for i, b in enumerate(self.browsers)]
            for future in futures:
                future.result(timeout=self.args.seconds + 120)
        return time.monotonic() - started


def verify(run: Run) -> dict[str, int]:
    from council.models import StatusUpdate

    stored = collections.Counter(
        StatusUpdate.objects.filter(note__startswith=f"load-{run.run_id}-").values_list(
            "note", flat=True
        )
    )
    posts = [h for h in run.hits if h.note]
    saved = [h for h in posts if h.status == 302]
    return {
        "posted": len(posts),
        "saved": len(saved),
        "refused": len(posts) - len(saved),
        "stored": sum(stored.values()),
        "lost": sum(1 for h in saved if stored.get(h.note, 0) == 0),
        "doubled": sum(1 for h in saved if stored.get(h.note, 0) > 1),
        "phantom": sum(1 for h in posts if h.status != 302 and stored.get(h.note, 0)),
    }


def codes(hits) -> str:
    counter = collections.Counter(h.status for h in hits)
    return ", ".join(f"{code or 'no answer'}: {n}" for code, n in sorted(counter.items()))


def report(args, run: Run, elapsed: float, checks: dict, logins: list[float], failures, when):
    hits = run.hits
    seconds = [h.seconds for h in hits]
    rows = [
        ("users × seconds", f"{len(run.browsers)} × {args.seconds:.0f} s"),
        ("think time per request", f"0–{args.think:g} s (uniform)"),
        ("gunicorn", f"{args.workers} sync workers, DB_CONN_MAX_AGE={args.conn_max_age}"),
        ("requests", len(hits)),
        ("requests/second", f"{len(hits) / elapsed:.1f}"),
        ("status codes", codes(hits)),
        ("latency p50 / p95 / max", _lat(seconds)),
        ("5xx or no answer", sum(1 for h in hits if h.status >= 500 or h.status == 0)),
        (
            "updates posted / saved (302) / refused (4xx)",
            f"{checks['posted']} / {checks['saved']} / {checks['refused']}",
        ),
        (
            "saved updates stored exactly once",
            f"{checks['saved'] - checks['lost'] - checks['doubled']}",
        ),
        (
            "lost / doubled / stored despite a refusal",
            f"{checks['lost']} / {checks['doubled']} / {checks['phantom']}",
        ),
        ("sign-ins before the clock", f"{len(logins)}, {_lat(logins)}"),
    ]
    people = []
    for username in ROLES:
        some = [h for h in hits if h.user == username]
        if some:
            posts = [h for h in some if h.note]
            people.append(
                (
                    username,
                    sum(1 for b in run.browsers if b.username == username),
                    len(some),
                    sum(1 for h in posts if h.status == 302),
                    sum(1 for h in posts if h.status != 302),
                )
            )
    kinds = []
    for kind in ("dashboard", "list", "detail", "report", "status"):
        some = [h for h in hits if h.kind == kind]
        if some:
            kinds.append((kind, len(some), codes(some), _lat([h.seconds for h in some])))
    lines = [
        "## Load test",
        "",
        f"Run {when:%Y-%m-%d %H:%M %Z} by `.venv/bin/python faults/load.py"
        f" --users {args.users} --seconds {args.seconds:g}` on loopback"
        f" ({infra.cpu_note()}); verdict: **{'pass' if not failures else 'FAIL'}**."
        f"{infra.settings_note()}",
        "",
        infra.markdown_table(("measure", "value"), rows),
        "",
        infra.markdown_table(("request", "count", "status codes", "p50 / p95 / max"), kinds),
        "",
        infra.markdown_table(
            ("demo user", "signed-in users", "requests", "updates saved", "updates refused"),
            people,
        ),
        "",
    ]
    lines += [f"- FAILED: {failure}" for failure in failures]
    return "\n".join(lines)


def _lat(values) -> str:
    if not values:
        return "–"
    return (
        f"{infra.percentile(values, 0.5) * 1000:.0f} / {infra.percentile(values, 0.95) * 1000:.0f}"
        f" / {max(values) * 1000:.0f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent users (threads)")
    parser.add_argument("--seconds", type=float, default=120.0, help="how long to drive load")
    parser.add_argument("--think", type=float, default=1.0, help="max think time (uniform)")
    parser.add_argument("--write-share", type=float, default=0.2, help="share of posts")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--conn-max-age", default="60", help="DB_CONN_MAX_AGE for gunicorn")
    parser.add_argument("--max-requests-per-user", type=int, default=100_000)
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args(argv)
    if not (1 <= args.users <= 500 and 1 <= args.seconds <= 3600):
        parser.error("--users must be 1–500 and --seconds 1–3600")

    when = datetime.datetime.now().astimezone()
    stack = infra.Stack("load")
    failures: list[str] = []
    try:
        print(f"private services in {stack.base}", flush=True)
        stack.start_databases(redis=False)
        env = stack.env(redis=False, DB_CONN_MAX_AGE=str(args.conn_max_age))
        infra.setup_django(env)
        infra.fresh_database()
        plan = plans()
        from django.db import connections

        connections.close_all()
        stack.gunicorn(env, workers=args.workers)
        base = f"http://{infra.HOST}:{infra.WEB_PORT}"
        passwords = infra.demo_passwords()
        names = [ROLES[i % len(ROLES)] for i in range(args.users)]
        logins: list[float] = []

        def sign_in(username: str) -> Browser:
            started = time.monotonic()
            browser = Browser(base, username, passwords[username])
            logins.append(time.monotonic() - started)
            return browser

        print(f"signing in {args.users} users …", flush=True)
        with concurrent.futures.ThreadPoolExecutor(max_workers=min(args.users, 20)) as pool:
            browsers = list(pool.map(sign_in, names))
        run = Run(args, plan, browsers, uuid.uuid4().hex[:8])
        print(f"driving load for {args.seconds:g} s …", flush=True)
        elapsed = run.go()
        checks = verify(run)
    finally:
        stack.close()

    hits = run.hits
    server_errors = sum(1 for h in hits if h.status >= 500 or h.status == 0)
    if server_errors:
        failures.append(f"{server_errors} answers were 5xx or missing")
    bad_reads = [h for h in hits if h.kind in ("dashboard", "list", "detail") and h.status != 200]
    if bad_reads:
        failures.append(f"{len(bad_reads)} reads did not answer 200: {codes(bad_reads)}")
    bad_reports = [h for h in hits if h.kind == "report" and h.status != 302]
    if bad_reports:
        failures.append(f"{len(bad_reports)} progress reports not saved: {codes(bad_reports)}")
    if checks["lost"] or checks["doubled"] or checks["phantom"]:
        failures.append(
            f"updates: {checks['lost']} lost, {checks['doubled']} doubled,"
            f" {checks['phantom']} stored despite a refusal"
        )
    if checks["saved"] == 0:
        failures.append("no update was saved")
    text = report(args, run, elapsed, checks, logins, failures, when)
    print()
    print(text)
    if not args.no_write:
        infra.write_section("load", text)
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except infra.DrillError as error:  # the environment, not the app: say what, no traceback
        print(f"cannot run: {error}", file=sys.stderr)
        sys.exit(2)
