"""Private services for the fault drill and the load test: PostgreSQL, Redis, gunicorn, Celery.

Everything listens on loopback only, on ports nobody else here uses (PostgreSQL 5441,
Redis 6391, gunicorn 8011), lives in one temporary directory, and is stopped by the
``Stack`` that started it — by process id, never by name. The shared PostgreSQL (5432)
and Redis (6379) are never touched.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
PG_BIN = Path(os.environ.get("FAULTS_PG_BIN", "/usr/lib/postgresql/15/bin"))
HOST = "127.0.0.1"
PG_PORT = 5441
REDIS_PORT = 6391
WEB_PORT = 8011
SETTINGS_MODULE = os.environ.get("FAULTS_SETTINGS_MODULE", "faults.worker_settings")
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


class DrillError(RuntimeError):
    """The environment cannot run the drill (port taken, binary missing…)."""


def port_open(port: int, host: str = HOST) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise DrillError(f"timed out after {timeout:.0f} s waiting for {what}")


def run(args: Sequence[str], **kwargs) -> subprocess.CompletedProcess:
    """A short command with a fixed argument list (no shell); raises with its output."""
    kwargs.setdefault("timeout", 120)
    result = subprocess.run(list(args), capture_output=True, text=True, check=False, **kwargs)  # noqa: S603  (fixed argument lists, no shell)
    if result.returncode != 0:
        raise DrillError(
            f"{' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
    return result


class PrivatePostgres:
    """A throwaway PostgreSQL 15 cluster on 127.0.0.1:5441 with its socket in ``base``.

    initdb refuses to run as root: then the cluster belongs to the ``postgres`` system
    user and every server command runs through ``runuser``.
    """

    def __init__(self, base: Path, port: int = PG_PORT):
        self.base = base / "pg"
        self.data = self.base / "data"
        self.log = self.base / "server.log"
        self.port = port
        self.as_user: list[str] = []
        self.started = False

    @property
    def url(self) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/council"

    def _cmd(self, *args: str) -> list[str]:
        return [*self.as_user, *args]

    def init(self) -> None:
        if not (PG_BIN / "initdb").exists():
            raise DrillError(f"PostgreSQL binaries not found in {PG_BIN} (set FAULTS_PG_BIN)")
        self.base.mkdir(parents=True)
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.base, owner.pw_uid, owner.pw_gid)
            # runuser needs to reach the directory: the temporary parent is 0700.
            self.base.parent.chmod(0o711)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        run(
            self._cmd(
                str(PG_BIN / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",  # loopback and a private socket only, thrown away after
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            )
        )
        config = self.data / "postgresql.conf"
        with config.open("a") as handle:
            handle.write(
                f"\nlisten_addresses = '{HOST}'\nport = {self.port}\n"
                f"unix_socket_directories = '{self.base}'\n"
                "max_connections = 100\nshared_buffers = 64MB\n"
            )

    def start(self) -> None:
        if port_open(self.port):
            raise DrillError(f"port {self.port} is taken: another PostgreSQL is running there")
        run(
            self._cmd(
                str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "start"
            )
        )
        self.started = True

    def restart(self) -> None:
        run(
            self._cmd(
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-m",
                "fast",
                "-w",
                "restart",
            )
        )

    def stop(self) -> None:
        if self.started:
            with contextlib.suppress(DrillError, subprocess.TimeoutExpired):
                run(
                    self._cmd(
                        str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"
                    ),
                    timeout=60,
                )
            self.started = False

    def create_database(self) -> None:
        run(
            self._cmd(
                str(PG_BIN / "createdb"),
                "-h",
                HOST,
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "council",
            )
        )


class PrivateRedis:
    """A Redis on 127.0.0.1:6391 with no persistence; stopped and started by the drill."""

    def __init__(self, base: Path, port: int = REDIS_PORT):
        self.dir = base / "redis"
        self.port = port
        self.pidfile = self.dir / "redis.pid"
        self.running = False

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self) -> None:
        if port_open(self.port):
            raise DrillError(f"port {self.port} is taken: another Redis is running there")
        self.dir.mkdir(parents=True, exist_ok=True)
        run(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                HOST,
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--dir",
                str(self.dir),
                "--pidfile",
                str(self.pidfile),
                "--logfile",
                str(self.dir / "redis.log"),
            ]
        )
        self.running = True
        wait_for(lambda: port_open(self.port), 10, "redis to listen")

    def stop(self) -> None:
        if not self.running:
            return
        with contextlib.suppress(DrillError, subprocess.TimeoutExpired):
            run(["redis-cli", "-h", HOST, "-p", str(self.port), "shutdown", "nosave"], timeout=10)
        # redis-cli reports the closed connection as an error; check the port instead.
        try:
            wait_for(lambda: not port_open(self.port), 10, "redis to stop")
        except DrillError:
            pid = int(self.pidfile.read_text().strip())
            os.kill(pid, signal.SIGKILL)
        self.running = False


class Process:
    """A long-running child in its own session, so its whole group can be killed."""

    def __init__(self, name: str, args: Sequence[str], env: dict[str, str], log: Path):
        self.name = name
        self.args = list(args)
        self.env = env
        self.log = log
        self.popen: subprocess.Popen | None = None

    def start(self) -> Process:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        handle = self.log.open("ab")
        self.popen = subprocess.Popen(  # noqa: S603  (our own venv's executables, fixed arguments)
            self.args,
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        handle.close()
        return self

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill9(self) -> None:
        """SIGKILL the process and every child in its group: a crash, no shutdown."""
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM (warm shutdown), then SIGKILL the group if it lingers."""
        if self.popen is None:
            return
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=timeout)
        # Children (gunicorn or Celery workers) may outlive the parent: end the group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=10)


class Stack:
    """Owns the temporary directory and everything started in it; ``close`` ends it all."""

    def __init__(self, prefix: str):
        self.base = Path(tempfile.mkdtemp(prefix=f"council-{prefix}-"))
        self.mail_dir = self.base / "mail"
        self.media_dir = self.base / "media"
        self.mail_dir.mkdir()
        self.media_dir.mkdir()
        self.postgres = PrivatePostgres(self.base)
        self.redis = PrivateRedis(self.base)
        self.processes: list[Process] = []
        self.closed = False
        atexit.register(self.close)
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self._on_signal)

    def _on_signal(self, signum, _frame):
        self.close()
        sys.exit(128 + signum)

    def env(self, *, redis: bool, mail_dir: Path | None = None, **extra: str) -> dict[str, str]:
        """The environment for Django in any process of the drill."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SMTP_", "DJANGO_"))}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
                "DATABASE_URL": self.postgres.url,
                "REDIS_URL": self.redis.url if redis else "",
                "FAULTS_MAIL_DIR": str(mail_dir or self.mail_dir),
                "MEDIA_ROOT": str(self.media_dir),
                "ALLOWED_HOSTS": f"{HOST},localhost,testserver",
                "SITE_URL": f"http://{HOST}:{WEB_PORT}",
                "DEBUG": "false",
                "LOG_LEVEL": "WARNING",
                "PYTHONPATH": os.pathsep.join(
                    [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
                ),
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(extra)
        return env

    def start_databases(self, *, redis: bool) -> None:
        self.postgres.init()
        self.postgres.start()
        self.postgres.create_database()
        if redis:
            self.redis.start()

    def gunicorn(self, env: dict[str, str], workers: int = 2) -> Process:
        if port_open(WEB_PORT):
            raise DrillError(f"port {WEB_PORT} is taken")
        process = Process(
            "gunicorn",
            [
                str(VENV_BIN / "gunicorn"),
                "council.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"{HOST}:{WEB_PORT}",
                "--timeout",
                "60",
                "--graceful-timeout",
                "10",
                "--access-logfile",
                "-",
                "--access-logformat",
                "%(s)s %(m)s %(U)s %(M)sms",
            ],
            env,
            self.base / "gunicorn.log",
        ).start()
        self.processes.append(process)
        wait_for(lambda: port_open(WEB_PORT) or not process.alive(), 60, "gunicorn to listen")
        if not process.alive():
            raise DrillError(f"gunicorn did not start:\n{process.log_text()[-3000:]}")
        return process

    def celery_worker(self, env: dict[str, str], name: str, concurrency: int = 4) -> Process:
        process = Process(
            name,
            [
                str(VENV_BIN / "celery"),
                "-A",
                "council",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                str(concurrency),
                "--hostname",
                f"{name}@{HOST}",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            {**env, "LOG_LEVEL": "INFO"},
            self.base / f"{name}.log",
        ).start()
        self.processes.append(process)
        wait_for(
            lambda: " ready." in process.log_text() or not process.alive(),
            60,
            f"Celery worker {name} to be ready",
        )
        if not process.alive():
            raise DrillError(f"Celery worker {name} died:\n{process.log_text()[-3000:]}")
        return process

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        for process in reversed(self.processes):
            process.stop(timeout=15)
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        self.redis.stop()
        self.postgres.stop()
        if os.environ.get("FAULTS_KEEP"):
            print(f"kept {self.base}", file=sys.stderr)
        else:
            shutil.rmtree(self.base, ignore_errors=True)


def setup_django(env: dict[str, str]) -> None:
    """Configure this process's Django from the drill environment (once, before any import)."""
    os.environ.update(env)
    for entry in reversed(env["PYTHONPATH"].split(os.pathsep)):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    import django

    django.setup()


def fresh_database(quiet: bool = True) -> None:
    """Migrate the empty private database and load the demo, as ``make demo`` does."""
    import io

    from django.core.management import call_command

    out = io.StringIO()
    try:
        call_command("makemigrations", check=True, dry_run=True, verbosity=0, stdout=out)
    except SystemExit:
        raise DrillError(
            "the models have changes without a migration (manage.py makemigrations --check):"
            " the fresh database would not match the code"
        ) from None
    call_command("migrate", interactive=False, verbosity=0, stdout=out)
    call_command("load_demo", stdout=out)
    if not quiet:
        print(out.getvalue())


def demo_passwords() -> dict[str, str]:
    import json

    data = json.loads((ROOT / "fixtures" / "demo.json").read_text(encoding="utf-8"))
    return {user["username"]: user["password"] for user in data["users"]}


# Reporting ------------------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(values: Sequence[float]) -> str:
    if not values:
        return "–"
    p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
    return f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(str(cell) for cell in row) + " |")
    return "\n".join(lines)


def write_section(name: str, text: str) -> None:
    """Replace (or add) this script's section of RESULTS.md, keeping the other's."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    block = f"{begin}\n{text.rstrip()}\n{end}\n"
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if not current.strip():
        current = (
            "# Fault drill and load test: latest results\n\n"
            "Written by `faults/drill.py` and `faults/load.py` (see README.md).\n\n"
        )
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end) + r"\n?", re.DOTALL)
    if pattern.search(current):
        current = pattern.sub(lambda _m: block, current)
    else:
        current = current.rstrip() + "\n\n" + block
    RESULTS.write_text(current, encoding="utf-8")


def mean(values: Sequence[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def cpu_note() -> str:
    load1 = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} CPUs shared by client, server and database; load {load1:.1f} at the end"
    )


def settings_note() -> str:
    """Said in the results when a run used other settings than the drill's own."""
    if SETTINGS_MODULE == "faults.worker_settings":
        return ""
    return f" Settings: `{SETTINGS_MODULE}` (FAULTS_SETTINGS_MODULE), not the default."
