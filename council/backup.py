"""Backup and restore of everything users recorded: the database rows and the uploaded
files, in one .tar.gz. Works on SQLite and PostgreSQL (for large PostgreSQL installs,
pg_dump of the database plus a copy of MEDIA_ROOT does the same job faster)."""

from __future__ import annotations

import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import management
from django.db import connection, transaction

# Everything but caches of the framework and of brute-force counters.
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]
DATA_NAME = "data.json"
MEDIA_PREFIX = "media/"


def backup(path: Path) -> dict[str, int]:
    """Write the database and MEDIA_ROOT to ``path``; returns counts for the log."""
    data = io.StringIO()
    management.call_command(
        "dumpdata",
        exclude=EXCLUDE,
        natural_foreign=True,
        natural_primary=False,
        indent=None,
        stdout=data,
    )
    payload = data.getvalue().encode("utf-8")
    media_root = Path(settings.MEDIA_ROOT)
    files = [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo(DATA_NAME)
        info.size = len(payload)
        archive.addfile(info, io.BytesIO(payload))
        for file in files:
            archive.add(file, arcname=MEDIA_PREFIX + file.relative_to(media_root).as_posix())
    return {"objects": len(json.loads(payload)), "files": len(files)}


def restore(path: Path) -> dict[str, int]:
    """Load a backup into an empty, migrated database and MEDIA_ROOT."""
    media_root = Path(settings.MEDIA_ROOT)
    restored_files = 0
    with tarfile.open(path, "r:gz") as archive, tempfile.TemporaryDirectory() as tmp:
        data_file = Path(tmp) / DATA_NAME
        data_file.write_bytes(archive.extractfile(DATA_NAME).read())
        with transaction.atomic():
            management.call_command("loaddata", str(data_file), verbosity=0)
        for member in archive.getmembers():
            if not member.isfile() or not member.name.startswith(MEDIA_PREFIX):
                continue
            relative = Path(member.name[len(MEDIA_PREFIX) :])
            target = (media_root / relative).resolve()
            if media_root.resolve() not in target.parents:
                raise ValueError(f"refusing to write outside MEDIA_ROOT: {member.name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.extractfile(member).read())
            restored_files += 1
    _reset_sequences()
    return {"objects": len(json.loads(data_file_text(path))), "files": restored_files}


def data_file_text(path: Path) -> str:
    with tarfile.open(path, "r:gz") as archive:
        return archive.extractfile(DATA_NAME).read().decode("utf-8")


def _reset_sequences() -> None:
    """After loading rows with their ids, PostgreSQL's sequences must move past them."""
    models = [m for config in apps.get_app_configs() for m in config.get_models()]
    statements = connection.ops.sequence_reset_sql(management.color.no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
