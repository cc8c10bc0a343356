"""Fault drill: break Redis, a Celery worker and PostgreSQL on purpose; count what survived.

Run it with ``.venv/bin/python faults/drill.py`` (about two minutes). It starts a
private PostgreSQL (127.0.0.1:5441) and Redis (127.0.0.1:6391) in a temporary directory,
migrates a fresh database, loads the demo, then runs three scenarios:

a. Redis stopped: every main page and status updates through the full Django stack,
   and the reminder scan; then Redis back, a real Celery worker, the scan again.
b. A Celery worker killed (SIGKILL, whole process group) while deliveries are in flight,
   twice; a new worker and the next scan finish the job.
c. PostgreSQL restarted (``pg_ctl restart -m fast``) under concurrent load on gunicorn.

It prints a table and writes it to ``faults/RESULTS.md`` (its own section), and
exits non-zero if any check failed. Every process it starts is stopped at the end.
``--only a,b`` runs some scenarios; ``FAULTS_KEEP=1`` keeps the temporary directory.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import dataclasses
import datetime
import logging
import random
import sys
import threading
import time
import uuid
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``faults`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from faults import infra  # noqa: E402
from faults.slow_backend import fingerprint  # noqa: E402

QUICK = 3.0  # seconds: a page or a save slower than this with Redis down is a failure
SCAN_BOUND = 60.0  # seconds: the scan with Redis down must return within this
DELIVERY_TIMEOUT = 120.0


@dataclasses.dataclass
class Result:
    scenario: str
    tried: int = 0
    succeeded: int = 0
    failed_cleanly: int = 0
    lost: int = 0
    duplicates: int = 0
    notes: list[str] = dataclasses.field(default_factory=list)
    failures: list[str] = dataclasses.field(default_factory=list)

    def check(self, ok: bool, message: str) -> bool:
        if not ok:
            self.failures.append(message)
        return ok

    @property
    def passed(self) -> bool:
        return not self.failures


class CountingHandler(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


# Accounting for reminders and e-mail ------------------------------------------------------


def mail_counts(mail_dir: Path) -> collections.Counter:
    """How many message files carry each fingerprint."""
    return collections.Counter(path.name.split("-", 1)[0] for path in mail_dir.glob("*.eml"))


def reminder_fingerprints(reminders_qs) -> dict[int, str]:
    """Each reminder's message fingerprint, as the mail backend names the file."""
    from council.reminders import build_message

    prints = {}
    for reminder in reminders_qs.select_related(
        "recipient", "commitment__session__council", "session__council", "council"
    ):
        message = build_message(reminder)
        prints[reminder.pk] = fingerprint(message.to, message.subject, message.body)
    return prints


@dataclasses.dataclass
class Delivery:
    reminders: int
    sent: int
    pending: int
    other: int
    mails: int
    lost: int  # reminders not sent, or marked sent with no message
    duplicates: int  # messages beyond the first per reminder
    duplicated_ids: set[int]
    stray: int  # messages that match no reminder

    def line(self) -> str:
        return (
            f"{self.reminders} reminders: {self.sent} sent, {self.pending} pending, "
            f"{self.other} skipped/failed; {self.mails} messages, {self.duplicates} duplicate, "
            f"{self.stray} stray"
        )


def account(mail_dir: Path, reminders_qs) -> Delivery:
    from council.models import Reminder

    prints = reminder_fingerprints(reminders_qs)
    counts = mail_counts(mail_dir)
    statuses = dict(reminders_qs.values_list("pk", "status"))
    by_print = collections.Counter(prints.values())
    ambiguous = [p for p, n in by_print.items() if n > 1]
    if ambiguous:
        raise infra.DrillError(f"{len(ambiguous)} reminders share a message fingerprint")
    lost = 0
    duplicated: set[int] = set()
    for pk, status in statuses.items():
        n = counts.get(prints[pk], 0)
        if status != Reminder.Status.SENT or n == 0:
            lost += status != Reminder.Status.SKIPPED
        if n > 1:
            duplicated.add(pk)
    known = set(prints.values())
    return Delivery(
        reminders=len(statuses),
        sent=sum(s == Reminder.Status.SENT for s in statuses.values()),
        pending=sum(s == Reminder.Status.PENDING for s in statuses.values()),
        other=sum(
            s not in (Reminder.Status.SENT, Reminder.Status.PENDING) for s in statuses.values()
        ),
        mails=sum(counts[p] for p in known),
        lost=lost,
        duplicates=sum(max(0, counts.get(prints[pk], 0) - 1) for pk in statuses),
        duplicated_ids=duplicated,
        stray=sum(n for p, n in counts.items() if p not in known),
    )


def in_window(mail_dir: Path, reminders_qs) -> set[int]:
    """Reminders whose message was written but whose row is still pending (after a crash)."""
    from council.models import Reminder

    counts = mail_counts(mail_dir)
    pending = reminders_qs.filter(status=Reminder.Status.PENDING)
    return {pk for pk, p in reminder_fingerprints(pending).items() if counts.get(p)}


def queue_length(redis_url: str) -> tuple[int, int]:
    """Messages waiting in the ``celery`` queue, and unacknowledged ones held by workers."""
    import redis

    client = redis.Redis.from_url(redis_url, socket_timeout=3)
    try:
        return int(client.llen("celery")), int(client.hlen("unacked"))
    finally:
        client.close()


def wait_delivered(redis_url: str, timeout: float = DELIVERY_TIMEOUT) -> float:
    """Until no reminder is pending and the queue is empty; returns the seconds waited."""
    from council.models import Reminder

    started = time.monotonic()

    def done():
        if Reminder.objects.filter(status=Reminder.Status.PENDING).exists():
            return False
        return queue_length(redis_url)[0] == 0

    infra.wait_for(done, timeout, "every reminder to be delivered", interval=0.3)
    time.sleep(1.5)  # any duplicate delivery task still running finds the row sent
    return time.monotonic() - started


def in_flight_deliveries() -> int:
    """Database sessions inside a transaction (a delivery holds its row lock in one)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND state LIKE 'idle in transaction%%' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def reset_celery_producer() -> None:
    """Forget pooled broker connections (the drill's process outlives a Redis restart)."""
    from council.celery import app

    app._pool = None
    app.amqp._producer_pool = None


# Preparing the data ------------------------------------------------------------------------


def clear_reminders(mail_dir: Path) -> int:
    """load_demo delivers what is due in-process; start the drill with nothing recorded."""
    from council.models import Reminder

    deleted, _ = Reminder.objects.all().delete()
    for path in mail_dir.glob("*.eml"):
        path.unlink()
    return deleted


def add_recipients(count: int) -> list[str]:
    """More managers: each gets the escalations and the weekly digest, so more reminders."""
    from django.contrib.auth.models import Group

    from council import roles
    from council.models import User

    group = Group.objects.get(name=roles.MANAGER)
    names = []
    for i in range(count):
        user = User.objects.create_user(
            username=f"drill.manager{i}",
            email=f"drill.manager{i}@example.org",
            password=None,
            first_name="Drill",
            last_name=f"Manager {i}",
            language="en",
        )
        user.groups.add(group)
        names.append(user.username)
    return names


def user_pages(username: str) -> list[str]:
    """The main pages, with objects this user may see."""
    from council.models import Commitment, Session, User
    from council.policies import Policy
    from council.querysets import local_today

    user = User.objects.get(username=username)
    policy = Policy(user)
    council = policy.councils().order_by("pk").first()
    session = (
        Session.objects.filter(council=council, start_date__lte=local_today())
        .order_by("-start_date")
        .first()
    )
    commitments = Commitment.objects.filter(session__council__in=policy.council_ids()).order_by(
        "pk"
    )
    pages = ["/", "/councils/", "/commitments/", "/commitments/?status=overdue", "/reports/"]
    if council:
        pages += [f"/councils/{council.pk}/", f"/reports/?council={council.pk}"]
    if session:
        pages += [f"/sessions/{session.pk}/", f"/sessions/{session.pk}/review/"]
    pages += [f"/commitments/{pk}/" for pk in commitments.values_list("pk", flat=True)[:3]]
    pages.append("/notifications/")
    return pages


def reportable(username: str, limit: int) -> list[tuple[int, str]]:
    """(commitment id, target status or "") this user may post: status moves first."""
    from council.models import Commitment, User
    from council.policies import Policy

    user = User.objects.get(username=username)
    policy = Policy(user)
    found: list[tuple[int, str]] = []
    visible = Commitment.objects.filter(session__council__in=policy.council_ids()).prefetch_related(
        "responsibilities"
    )
    for commitment in visible.order_by("pk"):
        moves = policy.allowed_status_moves(commitment)
        if Commitment.Status.IN_PROGRESS in moves and commitment.status == "not_started":
            found.append((commitment.pk, Commitment.Status.IN_PROGRESS))
        elif policy.can_report_progress(commitment):
            found.append((commitment.pk, ""))
        if len(found) >= limit:
            break
    return found


# Scenario a: Redis stopped -----------------------------------------------------------------


def scenario_redis_down(stack: infra.Stack) -> Result:
    from django.test import Client

    from council import tasks
    from council.models import Reminder, StatusUpdate

    result = Result("a. Redis stopped")
    passwords = infra.demo_passwords()
    stack.redis.stop()
    result.check(not infra.port_open(infra.REDIS_PORT), "Redis still answers after the stop")

    # Every main page, as every demo user, through the whole middleware stack.
    latencies: list[float] = []
    bad: list[str] = []
    notes: dict[str, bool] = {}
    for username, password in passwords.items():
        client = Client(raise_request_exception=False)
        started = time.monotonic()
        response = client.post("/accounts/login/", {"username": username, "password": password})
        result.tried += 1
        if response.status_code != 302:
            bad.append(f"login {username}: {response.status_code}")
            continue
        result.succeeded += 1
        latencies.append(time.monotonic() - started)
        for url in user_pages(username):
            started = time.monotonic()
            response = client.get(url)
            elapsed = time.monotonic() - started
            latencies.append(elapsed)
            result.tried += 1
            if response.status_code in (200, 302) and elapsed < QUICK:
                result.succeeded += 1
            else:
                bad.append(f"GET {url} as {username}: {response.status_code} in {elapsed:.1f} s")
        for pk, to_status in reportable(username, limit=4):
            note = f"drill-a {username} {uuid.uuid4().hex}"
            started = time.monotonic()
            response = client.post(
                f"/commitments/{pk}/report/", {"note": note, "to_status": to_status}
            )
            elapsed = time.monotonic() - started
            latencies.append(elapsed)
            result.tried += 1
            notes[note] = response.status_code == 302
            if response.status_code == 302 and elapsed < QUICK:
                result.succeeded += 1
            else:
                bad.append(
                    f"POST update {pk} as {username}: {response.status_code} {elapsed:.1f} s"
                )
    stored = collections.Counter(
        StatusUpdate.objects.filter(note__startswith="drill-a ").values_list("note", flat=True)
    )
    saved_ok = [n for n, ok in notes.items() if ok]
    result.lost += sum(1 for n in saved_ok if stored.get(n, 0) != 1)
    result.check(not bad, "pages/updates with Redis down: " + "; ".join(bad[:5]))
    result.check(result.lost == 0, f"{result.lost} saved updates not stored exactly once")
    result.notes.append(
        f"{len(passwords)} users, {result.tried} requests ({len(notes)} updates, "
        f"{len(saved_ok)} saved, {sum(stored.values())} rows); {infra.summary_ms(latencies)}"
    )

    # The beat's scan while the broker is down: bounded, reminders recorded and pending.
    outcome: dict[str, object] = {}

    def scan():
        from django.db import connection

        try:
            outcome["value"] = tasks.reminders_scan.run()
        except Exception as error:  # reported below
            outcome["error"] = repr(error)
        finally:
            connection.close()

    # The task logs each failed enqueue with its traceback: count them here instead.
    gave_up = CountingHandler()
    task_logger = logging.getLogger("council.tasks")
    task_logger.addHandler(gave_up)
    task_logger.propagate = False
    started = time.monotonic()
    thread = threading.Thread(target=scan, daemon=True)
    thread.start()
    thread.join(SCAN_BOUND)
    elapsed = time.monotonic() - started
    task_logger.removeHandler(gave_up)
    task_logger.propagate = True
    hung = thread.is_alive()
    result.check(not hung, f"the scan with Redis down did not return within {SCAN_BOUND:.0f} s")
    result.check("error" not in outcome, f"the scan with Redis down raised {outcome.get('error')}")
    pending = Reminder.objects.filter(status=Reminder.Status.PENDING).count()
    recorded = Reminder.objects.count()
    result.check(
        pending == recorded > 0, f"after the scan with Redis down: {pending}/{recorded} pending"
    )
    result.check(not mail_counts(stack.mail_dir), "mail went out with Redis down")
    # The scan stops at the first enqueue the broker refuses: one gives up, the rest are
    # left pending for the next scan instead of each waiting out its own timeout.
    result.check(gave_up.count == 1, f"{gave_up.count} enqueues gave up, {recorded} due")
    # Failed cleanly: the enqueue that gave up on the broker and left its row pending.
    result.tried += gave_up.count
    result.failed_cleanly += gave_up.count
    per = elapsed / recorded if recorded else 0.0
    result.notes.append(
        f"scan with Redis down: returned in {elapsed:.1f} s, {recorded} reminders recorded,"
        f" {gave_up.count} enqueues gave up ({per:.2f} s each), {pending} left pending, no mail"
    )
    if hung:
        return result

    # Redis is back: a real worker and the next scans (two overlapping beats) send each once.
    stack.redis.start()
    reset_celery_producer()
    worker = stack.celery_worker(stack.env(redis=True), "drill-a")
    for _ in range(2):
        tasks.reminders_scan.delay()
    waited = wait_delivered(stack.redis.url)
    worker.stop()
    delivery = account(stack.mail_dir, Reminder.objects.all())
    result.tried += delivery.reminders
    result.succeeded += delivery.sent - len(delivery.duplicated_ids)
    result.lost += delivery.lost
    result.duplicates += delivery.duplicates
    result.check(delivery.lost == 0, f"after Redis came back: {delivery.line()}")
    result.check(delivery.duplicates == 0, f"duplicates after Redis came back: {delivery.line()}")
    result.check(delivery.stray == 0, f"stray messages: {delivery.line()}")
    result.notes.append(f"Redis back, worker + 2 scans, {waited:.1f} s: {delivery.line()}")
    return result


# Scenario b: a worker killed mid-task -------------------------------------------------------


def scenario_worker_killed(stack: infra.Stack) -> Result:
    from django.db import connections

    from council import tasks
    from council.models import Reminder

    result = Result("b. worker killed mid-task")
    already = set(Reminder.objects.values_list("pk", flat=True))
    mail_dir = stack.base / "mail-b"
    mail_dir.mkdir()
    # 2 s before the "server" accepts a message, 1 s after it accepted it before the send
    # returns: a kill lands in either half.
    env = stack.env(
        redis=True,
        mail_dir=mail_dir,
        FAULTS_MAIL_DELAY="2.0",
        FAULTS_MAIL_DELAY_AFTER="1.0",
    )
    add_recipients(10)
    if not stack.redis.running:
        stack.redis.start()
    reset_celery_producer()
    window: set[int] = set()
    kills = []

    def new():
        return Reminder.objects.exclude(pk__in=already)

    # Kill 1: deliveries in flight, none has reached the mail server yet.
    worker = stack.celery_worker(env, "drill-b1")
    tasks.reminders_scan.delay()
    infra.wait_for(lambda: in_flight_deliveries() >= 3, 60, "deliveries in flight")
    time.sleep(0.5)
    busy = in_flight_deliveries()
    files_before = len(list(mail_dir.glob("*.eml")))
    worker.kill9()
    connections.close_all()
    time.sleep(1.0)  # PostgreSQL rolls back the dead sessions' transactions
    w = in_window(mail_dir, new())
    window |= w
    kills.append(
        f"kill 1: {busy} in flight, {files_before} sent before, {len(w)} accepted-not-committed"
    )
    result.failed_cleanly += busy

    # Kill 2: just after a message was accepted, before its transaction committed.
    worker = stack.celery_worker(env, "drill-b2")
    count = len(list(mail_dir.glob("*.eml")))
    infra.wait_for(
        lambda: len(list(mail_dir.glob("*.eml"))) > count, 60, "a message from the second worker"
    )
    time.sleep(0.2)
    busy = in_flight_deliveries()
    worker.kill9()
    connections.close_all()
    time.sleep(1.0)
    w = in_window(mail_dir, new())
    window |= w
    kills.append(f"kill 2: {busy} in flight, {len(w)} accepted-not-committed")
    result.failed_cleanly += busy
    pending_after_kills = new().filter(status=Reminder.Status.PENDING).count()
    queued, unacked = queue_length(stack.redis.url)

    # A new worker and the next beat's scan.
    worker = stack.celery_worker(env, "drill-b3")
    tasks.reminders_scan.delay()
    waited = wait_delivered(stack.redis.url)
    worker.stop()
    delivery = account(mail_dir, new())
    # Tried: the reminders due; failed cleanly: deliveries cut short by a kill (their rows
    # stayed pending and went out with the next scan).
    result.tried = delivery.reminders
    result.succeeded = delivery.sent
    result.lost = delivery.lost
    result.duplicates = delivery.duplicates
    unexpected = delivery.duplicated_ids - window
    result.check(delivery.lost == 0, f"lost after the kills: {delivery.line()}")
    result.check(
        not unexpected, f"{len(unexpected)} reminders sent twice outside the documented window"
    )
    result.check(delivery.stray == 0, f"stray messages: {delivery.line()}")
    result.check(busy > 0 or kills, "no delivery was in flight at a kill")
    result.notes += kills
    result.notes.append(
        f"after the kills: {pending_after_kills} pending, {queued} queued, {unacked} unacked"
        f" (held by dead workers until the visibility timeout; the scan re-enqueues instead)"
    )
    result.notes.append(
        f"new worker + scan, {waited:.1f} s: {delivery.line()};"
        f" sent twice, all in the documented window: {len(delivery.duplicated_ids)}"
        f" of {len(window)} in the window"
    )
    return result


# Scenario c: PostgreSQL restarted under load ----------------------------------------------


class WebUser:
    """A signed-in browser on the gunicorn under test (requests, CSRF from the cookie)."""

    def __init__(self, base: str, username: str, password: str):
        import requests

        self.base = base
        self.username = username
        self.session = requests.Session()
        self.session.get(f"{base}/accounts/login/", timeout=30)
        response = self.session.post(
            f"{base}/accounts/login/",
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.session.cookies.get("csrftoken", ""),
            },
            allow_redirects=False,
            timeout=60,
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


@dataclasses.dataclass
class Hit:
    started: float
    ended: float
    status: int  # 0: no HTTP answer (connection refused, reset, timeout)
    note: str = ""


def scenario_postgres_restart(
    stack: infra.Stack, threads: int = 8, before: float = 8.0, after: float = 12.0
) -> Result:
    from django.db import connections

    from council.models import StatusUpdate

    result = Result("c. PostgreSQL restarted under load")
    passwords = infra.demo_passwords()
    env = stack.env(redis=False, DB_CONN_MAX_AGE="60")
    web = stack.gunicorn(env, workers=2)
    base = f"http://{infra.HOST}:{infra.WEB_PORT}"
    roles = ["focal", "secretariat", "focal.kg", "manager"]
    plans = {u: (user_pages(u), [pk for pk, _ in reportable(u, limit=6)]) for u in roles}
    connections.close_all()
    users = [
        WebUser(base, roles[i % len(roles)], passwords[roles[i % len(roles)]])
        for i in range(threads)
    ]
    hits: list[Hit] = []
    lock = threading.Lock()
    stop_at = {"t": time.monotonic() + 3600}

    def drive(index: int, user: WebUser):
        import requests

        rng = random.Random(index)
        pages, writable = plans[user.username]
        for _ in range(10_000):  # bounded: the clock below ends it first
            if time.monotonic() >= stop_at["t"]:
                return
            note = ""
            started = time.monotonic()
            try:
                if writable and rng.random() < 0.25:
                    note = f"drill-c {user.username} {uuid.uuid4().hex}"
                    status = user.post_update(rng.choice(writable), note).status_code
                else:
                    status = user.get(rng.choice(pages)).status_code
            except requests.RequestException:
                status = 0
            with lock:
                hits.append(Hit(started, time.monotonic(), status, note))
            time.sleep(rng.uniform(0.02, 0.1))

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=threads)
    futures = [pool.submit(drive, i, u) for i, u in enumerate(users)]
    time.sleep(before)
    restart_started = time.monotonic()
    stack.postgres.restart()
    restart_ended = time.monotonic()
    stop_at["t"] = restart_ended + after
    for future in futures:
        future.result(timeout=after + 120)
    pool.shutdown()
    web.stop()
    stack.processes.remove(web)
    connections.close_all()

    def phase(hit: Hit) -> str:
        if hit.ended < restart_started:
            return "before"
        if hit.started > restart_ended:
            return "after"
        return "during"

    by_phase: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    slow_after = 0
    for hit in hits:
        by_phase[phase(hit)][hit.status] += 1
        if phase(hit) == "after" and hit.ended - hit.started > QUICK:
            slow_after += 1
    stored = collections.Counter(
        StatusUpdate.objects.filter(note__startswith="drill-c ").values_list("note", flat=True)
    )
    posts = [h for h in hits if h.note]
    saved = [h for h in posts if h.status == 302]
    lost = sum(1 for h in saved if stored.get(h.note, 0) != 1)
    phantom = sum(1 for h in posts if h.status != 302 and stored.get(h.note, 0))
    result.tried = len(hits)
    result.succeeded = sum(1 for h in hits if 200 <= h.status < 400)
    result.failed_cleanly = sum(1 for h in hits if h.status >= 500 or h.status == 0)
    result.lost = lost
    for name in ("before", "during", "after"):
        codes = ", ".join(
            f"{code or 'no answer'}: {n}" for code, n in sorted(by_phase[name].items())
        )
        result.notes.append(f"{name}: {sum(by_phase[name].values())} requests ({codes})")
    errors_outside = sum(
        n
        for name in ("before", "after")
        for code, n in by_phase[name].items()
        if code >= 500 or code == 0
    )
    result.check(by_phase["after"].total() > 0, "no request after the restart")
    result.check(errors_outside == 0, f"{errors_outside} errors before or after the restart")
    result.check(slow_after == 0, f"{slow_after} slow requests after the restart")
    result.check(lost == 0, f"{lost} saved updates not stored exactly once")
    result.notes.append(
        f"restart took {restart_ended - restart_started:.1f} s; {threads} clients, 2 gunicorn"
        f" workers, CONN_MAX_AGE 60 + health checks; {len(posts)} updates posted, {len(saved)}"
        f" saved and stored once, {phantom} stored despite an error answer"
    )
    errors = [h.ended - h.started for h in hits if h.status >= 500 or h.status == 0]
    if errors:
        result.notes.append(
            f"the {len(errors)} errors while the database was down answered at once"
            f" ({infra.summary_ms(errors)}): the error page, no hung worker"
        )
        result.check(max(errors) < QUICK * 5, "an error answer took too long (hung worker?)")
    recover = [h for h in hits if h.started > restart_started and 200 <= h.status < 400]
    if recover:
        first_ok = min(h.ended for h in recover)
        after_ms = infra.summary_ms([h.ended - h.started for h in hits if phase(h) == "after"])
        result.notes.append(
            f"first success {first_ok - restart_ended:+.2f} s after pg_ctl returned;"
            f" requests after it: {after_ms}"
        )
    return result


# The report --------------------------------------------------------------------------------


HEADER = (
    "scenario",
    "requests/actions tried",
    "succeeded",
    "failed cleanly",
    "lost records",
    "duplicate sends",
    "verdict",
)


def report(results: list[Result], started: datetime.datetime, seconds: float) -> str:
    rows = [
        (
            r.scenario,
            r.tried,
            r.succeeded,
            r.failed_cleanly,
            r.lost,
            r.duplicates,
            "pass" if r.passed else "FAIL",
        )
        for r in results
    ]
    lines = [
        "## Fault drill",
        "",
        f"Run {started:%Y-%m-%d %H:%M %Z} by `.venv/bin/python faults/drill.py`"
        f" ({seconds:.0f} s).{infra.settings_note()}",
        "",
        infra.markdown_table(HEADER, rows),
        "",
    ]
    for r in results:
        lines.append(f"**{r.scenario}**")
        lines.append("")
        lines += [f"- {note}" for note in r.notes]
        lines += [f"- FAILED: {failure}" for failure in r.failures]
        lines.append("")
    return "\n".join(lines)


SCENARIOS = {"a": scenario_redis_down, "b": scenario_worker_killed, "c": scenario_postgres_restart}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="a,b,c", help="scenarios to run, e.g. a,c")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args(argv)
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario {unknown}")

    started_at = datetime.datetime.now().astimezone()
    clock = time.monotonic()
    stack = infra.Stack("drill")
    results: list[Result] = []
    try:
        print(f"private services in {stack.base}", flush=True)
        stack.start_databases(redis=True)
        infra.setup_django(stack.env(redis=True))
        infra.fresh_database()
        cleared = clear_reminders(stack.mail_dir)
        print(f"demo loaded; {cleared} reminders the loader delivered are cleared", flush=True)
        for key in chosen:
            print(f"scenario {key} …", flush=True)
            try:
                result = SCENARIOS[key](stack)
            except Exception as error:  # a scenario that crashed is a failed scenario
                result = Result(f"{key}. crashed")
                result.failures.append(f"{type(error).__name__}: {error}")
            results.append(result)
            print(
                f"  {'pass' if result.passed else 'FAIL'}: {result.notes + result.failures}",
                flush=True,
            )
    finally:
        stack.close()
    text = report(results, started_at, time.monotonic() - clock)
    print()
    print(text)
    if not args.no_write:
        infra.write_section("drill", text)
    return 0 if results and all(r.passed for r in results) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except infra.DrillError as error:  # the environment, not the app: say what, no traceback
        print(f"cannot run: {error}", file=sys.stderr)
        sys.exit(2)
