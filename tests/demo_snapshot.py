"""The demo, loaded once per test process and copied back for each test that needs it
in a committed database (the browser tests' live server).

Loading the demo goes through the services (validation, history, reminders): about 6 s
on PostgreSQL, for each of some fifty browser tests. After the first load its rows are
kept with ``COPY … TO``; later tests get them back with ``COPY … FROM`` (a fraction of a
second), with the uploaded files copied into the test's media folder. Other databases
load the demo each time.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from council.demo import load_demo

# Written by migrations, not by the demo.
SKIPPED = {"django_migrations"}


@dataclass
class Snapshot:
    day: object
    media: Path
    rows: dict[str, bytes] = field(default_factory=dict)


_kept: list[Snapshot] = []


def _quoted(table: str) -> str:
    return connection.ops.quote_name(table)


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        return [t for t in connection.introspection.table_names(cursor) if t not in SKIPPED]


def _take(keep_media: Path) -> Snapshot:
    snapshot = Snapshot(day=timezone.localdate(), media=keep_media)
    raw = connection.connection  # psycopg's own connection: Django has no COPY
    with raw.cursor() as cursor:
        for table in _tables():
            with cursor.copy(f"COPY {_quoted(table)} TO STDOUT") as copy:
                data = b"".join(bytes(block) for block in copy)
            if data:
                snapshot.rows[table] = data
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.copytree(media, keep_media, dirs_exist_ok=True)
    return snapshot


def _may_turn_triggers_off() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        return cursor.fetchone()[0]


def _put_back(snapshot: Snapshot) -> None:
    """The demo's rows as they were taken, in place of whatever the flush left (content
    types and permissions made again, under new ids); triggers are off while they are
    copied (the rows are the ones they made), and every sequence moves past them."""
    with transaction.atomic():
        connection.ensure_connection()
        raw = connection.connection
        with raw.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("TRUNCATE " + ", ".join(_quoted(t) for t in _tables()))
            for table, data in snapshot.rows.items():
                with cursor.copy(f"COPY {_quoted(table)} FROM STDIN") as copy:
                    copy.write(data)
        models = apps.get_models(include_auto_created=True)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
    ContentType.objects.clear_cache()  # it held the ids the flush made
    if snapshot.media.exists():
        shutil.copytree(snapshot.media, Path(settings.MEDIA_ROOT), dirs_exist_ok=True)


def demo_in_committed_database(keep_media: Path) -> None:
    """The demo in the database, committed: loaded the first time (and on a new day, as
    the demo's dates count from today), copied back after that on PostgreSQL."""
    if connection.vendor != "postgresql" or not _may_turn_triggers_off():
        load_demo()
        return
    if _kept and _kept[0].day == timezone.localdate():
        _put_back(_kept[0])
        return
    load_demo()
    _kept[:] = [_take(keep_media)]
