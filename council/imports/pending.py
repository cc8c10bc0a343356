"""An uploaded file waiting between the preview and its confirmation.

The preview is a page, the confirmation a later request: the file is kept meanwhile under
a random token in a private folder beside the media (not a record, never served), and
removed once imported or after a day."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from django.conf import settings

KEEP_SECONDS = 24 * 3600


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "import-pending"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stash(data: bytes) -> str:
    """Keep ``data``; the token finds it again."""
    folder = _folder()
    cutoff = time.time() - KEEP_SECONDS
    for old in folder.glob("*.bin"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            continue
    token = secrets.token_urlsafe(18)
    (folder / f"{token}.bin").write_bytes(data)
    return token


def _path(token: str) -> Path | None:
    if not token or not token.replace("-", "").replace("_", "").isalnum() or len(token) > 64:
        return None
    return _folder() / f"{token}.bin"


def load(token: str) -> bytes | None:
    path = _path(token)
    try:
        return path.read_bytes() if path else None
    except OSError:
        return None


def discard(token: str) -> None:
    path = _path(token)
    if path is not None:
        path.unlink(missing_ok=True)
