"""What every aggregate's services share: the secretariat's permission, a save with who
and why on its history record, an insert that a concurrent request may win, and a
withdrawal instead of a deletion."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import User, Withdrawable
from ..policies import Policy


def require_council_records(by: User | None, council_id: int | None, message: str) -> None:
    """Refuse unless ``by`` keeps the council's records (its secretariat) or is an admin."""
    if by is not None and not Policy(by).can_edit_council_records(council_id):
        raise PermissionDenied(message)


def save_with_history(obj: models.Model, *, by: User | None, reason: str = "", **kwargs) -> None:
    """Save ``obj`` with who and why on its history record (when it keeps one)."""
    obj._history_user = by
    obj._change_reason = reason.strip() or None
    obj.save(**kwargs)


def insert_once(
    obj: models.Model,
    *,
    by: User | None,
    reason: str = "",
    taken: Callable[[], bool],
    refusal: ValidationError,
) -> None:
    """Insert ``obj``; when a concurrent request inserted the same row first (the unique
    constraint answers), refuse with ``refusal`` rather than a server error.

    The savepoint keeps the caller's transaction usable after the database refused."""
    try:
        with transaction.atomic():
            save_with_history(obj, by=by, reason=reason)
    except IntegrityError:
        obj.pk = None
        obj._state.adding = True
        if taken():
            raise refusal from None
        raise


def was_withdrawn(record: Withdrawable) -> bool:
    """Whether ``record`` is withdrawn, as stored: an old copy (a stale form, admin's
    "revert" to an earlier version) must not bring a withdrawn record back."""
    return record.is_withdrawn or (
        record.pk is not None
        and type(record)._default_manager.filter(pk=record.pk, withdrawn_at__isnull=False).exists()
    )


def withdraw(record: Withdrawable, *, by: User | None, reason: str) -> None:
    """Mark ``record`` withdrawn with who, when and why (``record_withdraw``), with the
    same who and why on its history record; it stays, and so does its history."""
    record._history_user = by
    record._change_reason = _("Withdrawn: %(reason)s") % {"reason": reason.strip()}
    record_withdraw(record=record, by=by, reason=reason)


def save_checked(
    obj: models.Model, *, by: User | None, reason: str, duplicate: ValidationError | None
) -> None:
    """Validate and save ``obj``; a unique row taken meanwhile by another request is
    refused with ``duplicate`` instead of a server error."""
    obj.full_clean()
    try:
        with transaction.atomic():
            save_with_history(obj, by=by, reason=reason)
    except IntegrityError:
        if obj._state.adding:
            obj.pk = None
        if duplicate is None:
            raise
        raise duplicate from None


def record_withdraw(*, record: Withdrawable, by: User, reason: str) -> None:
    """Withdraw a progress report or an uploaded file: kept, marked, never deleted."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why it is withdrawn.")})
    if record.is_withdrawn:
        raise ValidationError(_("It was already withdrawn."))
    record.withdrawn_at = timezone.now()
    record.withdrawn_by = by
    record.withdrawal_reason = reason
    record.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
