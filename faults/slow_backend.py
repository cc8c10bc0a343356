"""A mail backend for the fault drill: one file per message, optionally slow.

Each message becomes ``<fingerprint>-<random>.eml`` in ``file_path``, written atomically
(a temporary name, then a rename), so a process killed mid-write leaves no partial
message. The fingerprint is a hash of the recipients, subject and text body: the drill
computes the same hash for each ``Reminder`` row and so counts how many times each
reminder reached the "mail server".

``delay`` (seconds) is spent before the file is written: the message is in flight and
a crash then loses nothing. ``delay_after`` is spent after it is written, before the
send returns: the mail server has accepted the message but the caller has not committed
that it was sent — the one window in which a crash makes a reminder go out twice.
"""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


def fingerprint(to: list[str] | tuple[str, ...], subject: str, body: str) -> str:
    """What identifies one message: the drill recomputes it from the reminder rows."""
    text = "\x1f".join([",".join(sorted(to)), subject.strip(), body])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


class SlowFileBackend(BaseEmailBackend):
    def __init__(
        self,
        fail_silently=False,
        *,
        file_path: str,
        delay: float = 2.0,
        delay_after: float = 0.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.fail_silently = fail_silently
        self.file_path = Path(file_path)
        self.file_path.mkdir(parents=True, exist_ok=True)
        self.delay = float(delay)
        self.delay_after = float(delay_after)

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            if self.delay:
                time.sleep(self.delay)
            name = f"{fingerprint(message.to, message.subject, message.body)}-{uuid.uuid4().hex}"
            partial = self.file_path / f".{name}.part"
            partial.write_bytes(message.message().as_bytes())
            os.replace(partial, self.file_path / f"{name}.eml")
            sent += 1
            if self.delay_after:
                time.sleep(self.delay_after)
        return sent
