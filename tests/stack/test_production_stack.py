"""The production stack, run as the README deploys it, driven over HTTP.

gunicorn with production settings (``DJANGO_ENV=production``, the manifest static files,
secure cookies behind a TLS-terminating proxy), a Celery worker and Celery beat, on
PostgreSQL and Redis, mailing through SMTP to a local sink. A focal point signs in and
records a progress report; a commitment recorded due tomorrow gets its reminder from
beat's scan through the worker to the mail server, once; a personal token made on the
profile page calls the API, and the report it records reaches a webhook receiver on
loopback, signed, through the worker.
"""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("stack")]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_URL = os.environ.get("REDIS_URL", "")
SERVER_URL = os.environ.get("STACK_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")

requests = pytest.importorskip("requests")
aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")


def _postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{SERVER_URL}/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


if not REDIS_URL or not _postgres_reachable():
    if os.environ.get("CI"):
        raise RuntimeError("CI must run the production-stack test: PostgreSQL and REDIS_URL")
    pytest.skip("needs PostgreSQL and Redis (REDIS_URL)", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class Sink:
    """An SMTP server on loopback keeping every message it accepts."""

    def __init__(self):
        self.messages = []
        self.port = free_port()
        self.controller = aiosmtpd_controller.Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [message for rcpts, message in self.messages if address in rcpts]


class Stack:
    def __init__(self, base: Path):
        self.base = base
        self.processes: list[tuple[str, subprocess.Popen, Path]] = []
        self.database = f"council_stack_{uuid.uuid4().hex[:10]}"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.sink = Sink()
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "SMTP_", "DATABASE_", "REMINDER_"))
        }
        self.env.update(
            {
                "DJANGO_SETTINGS_MODULE": "council.settings",
                "DJANGO_ENV": "production",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "DATABASE_URL": f"{SERVER_URL}/{self.database}",
                "REDIS_URL": REDIS_URL,
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{self.port}",
                "SITE_URL": f"https://127.0.0.1:{self.port}",
                "MEDIA_ROOT": str(base / "media"),
                "SMTP_HOST": "127.0.0.1",
                "SMTP_PORT": str(self.sink.port),
                "SMTP_USE_TLS": "false",
                "REMINDER_SCAN_SECONDS": "2",
                # The stack runs at any hour; working hours are tested with a frozen clock.
                "REMINDERS_WORKING_HOURS_ONLY": "false",
                # The test receiver listens on loopback over plain HTTP.
                "WEBHOOKS_ALLOW_HTTP_LOOPBACK": "true",
                "LOG_LEVEL": "WARNING",
                "PYTHONUNBUFFERED": "1",
            }
        )

    def manage(self, *args: str, env: dict | None = None) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def start(self, name: str, args: list[str]) -> subprocess.Popen:
        log = self.base / f"{name}.log"
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=self.env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append((name, process, log))
        return process

    def log(self, name: str) -> str:
        for each, _process, log in self.processes:
            if each == name:
                return log.read_text(errors="replace")
        return ""

    def up(self) -> None:
        import psycopg

        with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.database}"')
        self.manage("migrate", "--noinput")
        self.manage("setup_roles")
        self.manage("collectstatic", "--noinput")
        # The demo's own first scan mails its reminders in-process: not through the sink.
        quiet = {**self.env, "SMTP_HOST": ""}
        self.manage("load_demo", env=quiet)
        self.sink.controller.start()
        self.start(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                "council.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
        )
        self.start(
            "worker",
            [str(BIN / "celery"), "-A", "council", "worker", "--concurrency", "2",
             "--loglevel", "INFO", "--without-gossip", "--without-mingle"],
        )  # fmt: skip
        self.start(
            "beat",
            [str(BIN / "celery"), "-A", "council", "beat", "--loglevel", "INFO",
             "--schedule", str(self.base / "beat-schedule")],
        )  # fmt: skip
        wait_for(self.serving, 60, "gunicorn to answer")
        wait_for(lambda: "ready." in self.log("worker"), 60, "the Celery worker")

    def serving(self) -> bool:
        try:
            answer = requests.get(
                f"{self.url}/healthz", headers={"X-Forwarded-Proto": "https"}, timeout=2
            )
            return answer.status_code == 200
        except requests.RequestException:
            return False

    def down(self) -> None:
        for _name, process, _log in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _name, process, _log in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        if self.sink.controller.loop.is_running():
            self.sink.controller.stop()
        import psycopg

        with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


def text_of(message) -> str:
    """Subject and every text part, decoded (Cyrillic travels base64 or quoted-printable)."""
    parts = [str(message["Subject"])]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            parts.append(part.get_content())
    return "\n".join(parts)


_running: list[Stack] = []


@pytest.fixture
def stack(request):
    """The stack, started once for the test run and stopped at its end. Not a scoped
    fixture: an xdist worker that runs out of queued tests tears down even session
    fixtures, and the stack was started again (about a minute each time)."""
    if not _running:
        base = Path(tempfile.mkdtemp(prefix="council-stack-"))
        running = Stack(base)

        def stop():
            running.down()
            shutil.rmtree(base, ignore_errors=True)

        request.config.add_cleanup(stop)
        _running.append(running)
        running.up()
    return _running[0]


class Browser:
    """A client behind the TLS-terminating proxy the README puts in front of gunicorn:
    the proxy says "https" in X-Forwarded-Proto and carries the secure cookies."""

    def __init__(self, stack: Stack):
        self.stack = stack
        self.http = requests.Session()
        self.origin = f"https://127.0.0.1:{stack.port}"

    def _unsecure_cookies(self):
        for cookie in self.http.cookies:
            cookie.secure = False  # the proxy, not this client, speaks TLS

    def get(self, path: str, **kwargs):
        response = self.http.get(
            self.stack.url + path,
            headers={"X-Forwarded-Proto": "https"},
            allow_redirects=False,
            timeout=30,
            **kwargs,
        )
        self._unsecure_cookies()
        return response

    def post(self, path: str, data: dict, referer_path: str):
        response = self.http.post(
            self.stack.url + path,
            data={**data, "csrfmiddlewaretoken": self.http.cookies.get("csrftoken", "")},
            headers={
                "X-Forwarded-Proto": "https",
                "Referer": self.origin + referer_path,
                "Origin": self.origin,
            },
            allow_redirects=False,
            timeout=30,
        )
        self._unsecure_cookies()
        return response

    def sign_in(self, username: str, password: str) -> None:
        path = "/accounts/login/"
        assert self.get(path).status_code == 200
        response = self.post(path, {"username": username, "password": password}, path)
        assert response.status_code == 302, response.text[:2000]


def test_pages_and_static_files_are_served_as_in_production(stack):
    browser = Browser(stack)
    plain = requests.get(f"{stack.url}/commitments/", allow_redirects=False, timeout=10)
    assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")
    login = browser.get("/commitments/")
    assert login.status_code == 302 and "login" in login.headers["Location"]
    page = browser.get(urlsplit(login.headers["Location"]).path)
    assert page.status_code == 200
    assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
    assert "Content-Security-Policy" in page.headers
    stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', page.text)
    assert stylesheets and all(re.search(r"\.[0-9a-f]{12}\.css$", s) for s in stylesheets)
    for stylesheet in stylesheets:
        served = browser.get(stylesheet)
        assert served.status_code == 200 and "immutable" in served.headers["Cache-Control"]


def test_a_focal_point_records_a_progress_report_over_http(stack):
    browser = Browser(stack)
    browser.sign_in("focal", "focal-demo-2026")
    mine = browser.get("/commitments/?status=open")
    assert mine.status_code == 200
    ids = re.findall(r'href="/commitments/(\d+)/"', mine.text)
    assert ids, mine.text[:2000]
    reported = None
    for pk in ids:
        page = browser.get(f"/commitments/{pk}/")
        if f'action="/commitments/{pk}/report/"' in page.text:
            reported = pk
            break
    assert reported, "no commitment the focal point may report on"
    note = f"Проект соглашения направлен стороне {uuid.uuid4().hex[:6]}"
    response = browser.post(
        f"/commitments/{reported}/report/", {"note": note}, f"/commitments/{reported}/"
    )
    assert response.status_code == 302, response.text[:2000]
    assert note in browser.get(f"/commitments/{reported}/").text


def test_beat_and_the_worker_mail_a_new_reminder_once(stack):
    title = f"Стек: открыть пункт пропуска {uuid.uuid4().hex[:6]}"
    stack.manage(
        "shell",
        "-c",
        "import datetime\n"
        "from django.utils import timezone\n"
        "from council import services\n"
        "from council.models import Agency, Session, User\n"
        "focal = User.objects.get(username='focal')\n"
        "session = Session.objects.filter(status='held').order_by('-start_date').first()\n"
        "services.commitment_create(session=session, fields={\n"
        f"    'clause': '99.1', 'title': {title!r}, 'text': 'Обеспечить.',\n"
        "    'deadline_kind': 'date',\n"
        "    'deadline': timezone.localdate() + datetime.timedelta(days=1)},\n"
        "    responsibilities=[(focal.agency, 'lead')], by=None)\n",
    )

    def about():
        return [m for m in stack.sink.to("focal@example.org") if title in text_of(m)]

    wait_for(about, 90, f"the reminder mail (worker log:\n{stack.log('worker')[-2000:]})")
    time.sleep(5)  # further scans must not mail it again
    assert len(about()) == 1
    assert "reminders_scan" in stack.log("beat")  # sent by beat's schedule, not by hand
    assert "reminder_deliver" in stack.log("worker")


class Receiver:
    """Another system's webhook endpoint on loopback: keeps every delivery, answers 200."""

    def __init__(self):
        self.deliveries: list[tuple[dict, bytes]] = []
        received = self.deliveries

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received.append((dict(self.headers), body))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/council-events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_a_profile_token_calls_the_api_and_its_report_reaches_a_webhook(stack):
    receiver = Receiver()
    try:
        # One endpoint per council the focal point's country sits on; each its own secret.
        secrets_by_council = json.loads(
            stack.manage(
                "shell",
                "-c",
                "import json\n"
                "from council import services\n"
                "from council.models import User, WebhookEndpoint\n"
                "focal = User.objects.get(username='focal')\n"
                "secrets = {}\n"
                "for council in focal.agency.party.councils.all():\n"
                "    endpoint = WebhookEndpoint(council=council, description='ЕСЭДО',\n"
                f"        url={receiver.url!r}, events=['report.added'])\n"
                "    services.webhook_endpoint_save(endpoint=endpoint, by=None)\n"
                "    secrets[council.pk] = endpoint.secret\n"
                "print(json.dumps(secrets))\n",
            )
            .strip()
            .splitlines()[-1]
        )

        browser = Browser(stack)
        browser.sign_in("focal", "focal-demo-2026")
        made = browser.post(
            "/profile/tokens/", {"token-name": "ЕСЭДО", "token-days": "30"}, "/profile/"
        )
        assert made.status_code == 302, made.text[:2000]
        profile = browser.get("/profile/").text
        token = re.search(r'id="new-token" readonly value="([^"]+)"', profile).group(1)
        revoke = re.search(r'action="(/profile/tokens/\d+/revoke/)"', profile).group(1)

        api = requests.Session()
        api.headers.update({"Authorization": f"Bearer {token}", "X-Forwarded-Proto": "https"})
        listed = api.get(f"{stack.url}/api/v1/commitments/?status=open", timeout=30)
        assert listed.status_code == 200, listed.text[:2000]
        ids = [row["id"] for row in listed.json()["results"]]
        note = f"Письмо направлено через ЕСЭДО {uuid.uuid4().hex[:6]}"
        answers = {}
        for pk in ids:
            answer = api.post(
                f"{stack.url}/api/v1/commitments/{pk}/progress-reports/",
                json={"note": note},
                timeout=30,
            )
            answers[pk] = answer.status_code
            if answer.status_code == 201:
                reported, report_id = pk, answer.json()["id"]
                break
        else:
            raise AssertionError(f"the focal point could report on none of {answers}")
        assert set(answers.values()) <= {201, 403}  # another side's clause is refused, never 500
        assert note in browser.get(f"/commitments/{reported}/").text

        def delivered():
            return [
                (headers, body)
                for headers, body in receiver.deliveries
                if json.loads(body)["data"]["id"] == report_id
            ]

        [(headers, body)] = wait_for(
            delivered, 60, f"the webhook (worker log:\n{stack.log('worker')[-2000:]})"
        )
        payload = json.loads(body)
        assert payload["event"] == "report.added"
        assert payload["data"]["commitment"] == reported
        secret = secrets_by_council[str(payload["council"])]
        expected = hmac.new(
            secret.encode(), headers["X-Council-Timestamp"].encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        assert hmac.compare_digest(headers["X-Council-Signature"], f"sha256={expected}")
        assert headers["X-Council-Delivery"]
        assert "webhook" in stack.log("worker")

        assert browser.post(revoke, {}, "/profile/").status_code == 302
        assert api.get(f"{stack.url}/api/v1/commitments/", timeout=30).status_code == 401
    finally:
        receiver.close()
