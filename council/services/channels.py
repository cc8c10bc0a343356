"""Where a change comes from, when it is not the staff app: the history says so."""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

from django.utils.translation import gettext as _

_channel: ContextVar[str] = ContextVar("council_change_channel", default="")


@contextlib.contextmanager
def via_api():
    """Changes made inside are recorded in history as made "via API"."""
    token = _channel.set("api")
    try:
        yield
    finally:
        _channel.reset(token)


def current_channel() -> str:
    """ "api" inside ``via_api``, else "" (the staff app, admin, tasks)."""
    return _channel.get()


def with_channel(reason: str) -> str:
    """``reason`` with where the change came from, when not from the staff app."""
    if _channel.get() == "api":
        mark = _("via API")
        return f"{reason} ({mark})" if reason else mark
    return reason


def mark_history(sender, instance, history_instance, **kwargs) -> None:
    """Every history record written inside ``via_api`` says so in its reason."""
    if _channel.get():
        history_instance.history_change_reason = with_channel(
            history_instance.history_change_reason or ""
        )
