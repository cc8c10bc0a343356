"""On SQLite (the demo), two requests writing at once wait for each other: neither
answers "database is locked"."""

import subprocess
import sys
import textwrap
from pathlib import Path

from .test_settings import settings_value

ROOT = Path(__file__).resolve().parent.parent

# Two threads (each with its own connection, as two requests have) read, then write,
# inside a transaction: the shape of every service call.
SCRIPT = textwrap.dedent(
    """
    import os, threading, time
    import django
    os.environ["DJANGO_SETTINGS_MODULE"] = "council.settings"
    django.setup()
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE t (n integer)")
    connection.close()
    errors = []

    def write(n):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM t")
                time.sleep(0.3)
                cursor.execute("INSERT INTO t VALUES (%s)", [n])
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM t")
        print(cursor.fetchone()[0], errors)
    """
)


def test_sqlite_waits_for_a_concurrent_writer_instead_of_failing(tmp_path):
    options = settings_value("s.DATABASES['default']['OPTIONS']")
    assert "'transaction_mode': 'IMMEDIATE'" in options
    assert "'timeout': 20" in options
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "2 []"
