"""An uploaded file waiting between the preview and its confirmation.

The preview is a page, the confirmation a later request, perhaps served by another web
process or machine: the file is kept meanwhile in the media storage (local disk or the
shared S3 bucket) under a random token in a private folder (not a record, never served),
and removed once imported or after a day."""

from __future__ import annotations

import contextlib
import datetime
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

KEEP = datetime.timedelta(days=1)
FOLDER = "import-pending"


def _sweep() -> None:
    """Forget files whose preview was never confirmed."""
    cutoff = timezone.now() - KEEP
    try:
        _folders, files = default_storage.listdir(FOLDER)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        path = f"{FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)  # not a record: an expired upload
        except (OSError, NotImplementedError):
            continue


def stash(data: bytes) -> str:
    """Keep ``data``; the token finds it again."""
    _sweep()
    token = secrets.token_urlsafe(18)
    default_storage.save(f"{FOLDER}/{token}.bin", ContentFile(data))
    return token


def _path(token: str) -> str | None:
    if not token or not token.replace("-", "").replace("_", "").isalnum() or len(token) > 64:
        return None
    return f"{FOLDER}/{token}.bin"


def load(token: str) -> bytes | None:
    path = _path(token)
    if path is None:
        return None
    try:
        with default_storage.open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def discard(token: str) -> None:
    path = _path(token)
    if path is not None:
        with contextlib.suppress(OSError):
            default_storage.delete(path)  # not a record: a confirmed upload
