"""Backup and restore of everything users recorded: the database rows and the uploaded
files, in one .tar.gz. Works on SQLite and PostgreSQL, with the files on local disk or in
an S3-compatible store (for large installs, pg_dump of the database plus a copy of the
media folder or bucket does the same job faster)."""

from __future__ import annotations

import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.core import management
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction

# Everything but caches of the framework and of brute-force counters.
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]
DATA_NAME = "data.json"
MEDIA_PREFIX = "media/"


def stored_files(folder: str = "") -> list[str]:
    """Every file of the media storage, by name, wherever it keeps them."""
    try:
        folders, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    names = [f"{folder}/{name}" if folder else name for name in files]
    for sub in folders:
        names += stored_files(f"{folder}/{sub}" if folder else sub)
    return sorted(names)


def backup(path: Path) -> dict[str, int]:
    """Write the database and the media files to ``path``; returns counts for the log."""
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
    files = stored_files()
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo(DATA_NAME)
        info.size = len(payload)
        archive.addfile(info, io.BytesIO(payload))
        for name in files:
            info = tarfile.TarInfo(MEDIA_PREFIX + name)
            info.size = default_storage.size(name)
            with default_storage.open(name, "rb") as handle:
                archive.addfile(info, handle)
    return {"objects": len(json.loads(payload)), "files": len(files)}


def restore(path: Path) -> dict[str, int]:
    """Load a backup into an empty, migrated database and media storage."""
    restored_files = 0
    with tarfile.open(path, "r:gz") as archive, tempfile.TemporaryDirectory() as tmp:
        data_file = Path(tmp) / DATA_NAME
        data_file.write_bytes(archive.extractfile(DATA_NAME).read())
        with transaction.atomic():
            management.call_command("loaddata", str(data_file), verbosity=0)
        for member in archive.getmembers():
            if not member.isfile() or not member.name.startswith(MEDIA_PREFIX):
                continue
            name = member.name[len(MEDIA_PREFIX) :]
            parts = Path(name).parts
            if not parts or Path(name).is_absolute() or ".." in parts:
                raise ValueError(f"refusing to write outside the media storage: {member.name}")
            # The rows name their files: each goes back under its own name.
            if default_storage.exists(name):
                default_storage.delete(name)  # not a record: a file the row names
            saved = default_storage.save(name, ContentFile(archive.extractfile(member).read()))
            if saved != name:
                raise ValueError(f"the media storage renamed {name} to {saved}")
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
