# ruff: noqa: S603 - runs our own gunicorn and wrk, with arguments built here
"""Requests per second under gunicorn: the commitment list next to a trivial view.

Starts gunicorn (2 sync workers, as in production on this machine) on loopback against
the benchmark database, signs in as the manager by a session cookie, and drives each URL
with ``wrk`` for a fixed time. The trivial view is ``/healthz`` (one ``SELECT 1``),
requested with the same cookie through the same middleware; it never reads the session
or the user (both load lazily): the ceiling of the stack on this machine. Run by
``bench/run.py --throughput`` on the data set of the largest size measured.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
CONNECTIONS = 8
SECONDS = 15


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _session_cookie(username: str) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from council.models import User

    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    # The backend that loads the user of a session (the first one only throttles logins).
    session[BACKEND_SESSION_KEY] = next(
        path for path in settings.AUTHENTICATION_BACKENDS if "ModelBackend" in path
    )
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _wait_until_up(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited before serving")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def _wrk(url: str, cookie: str) -> dict:
    out = subprocess.run(
        [
            shutil.which("wrk"),
            f"-t{min(2, CONNECTIONS)}",
            f"-c{CONNECTIONS}",
            f"-d{SECONDS}s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}
    return {
        "rps": rps,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "p50_ms": float(p50.group(1)) * scale[p50.group(2)] if p50 else None,
        "output": out,
    }


URLS = (("trivial", "/healthz"), ("floor", "/notifications/"))


def measure(database_url: str, list_path: str, username: str = "bench-manager") -> dict:
    """{"trivial": {...}, "floor": {...}, "list": {...}, "ratio": list rps / trivial rps,
    "ratio_floor": list rps / floor rps} or {"skipped": why}.

    The floor is the lightest page a signed-in user gets (the notifications page with none):
    session, user and the page layout, what every page of ours pays before its own work."""
    if shutil.which("wrk") is None:
        return {"skipped": "wrk is not installed (apt-get install wrk)"}
    cookie = _session_cookie(username)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "council.settings"),
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "council.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        _wait_until_up(port, process)
        base = f"http://127.0.0.1:{port}"
        results = {}
        for name, path in (*URLS, ("list", list_path)):
            subprocess.run(  # warm both workers (imports, template loading, connections)
                [shutil.which("wrk"), "-t1", "-c2", "-d2s", "-H", f"Cookie: {cookie}", base + path],
                capture_output=True,
                check=True,
            )
            results[name] = _wrk(base + path, cookie)
            results[name]["path"] = path
    finally:
        process.terminate()
        process.wait(timeout=30)
    for name in ("trivial", "floor", "list"):
        if results[name]["non_2xx"]:
            raise RuntimeError(f"{name}: {results[name]['non_2xx']} responses were not 2xx/3xx")
    results["ratio"] = results["list"]["rps"] / results["trivial"]["rps"]
    results["ratio_floor"] = results["list"]["rps"] / results["floor"]["rps"]
    results["workers"] = WORKERS
    results["connections"] = CONNECTIONS
    results["seconds"] = SECONDS
    return results
