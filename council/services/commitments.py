"""Commitment state changes: status moves, progress reports, withdrawals."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Agency,
    Attachment,
    Commitment,
    Session,
    StatusUpdate,
    User,
    Withdrawable,
)


class InvalidTransition(ValidationError):
    """The requested status change is not allowed from the commitment's current status."""


def commitment_change_status(
    *,
    commitment: Commitment,
    to: str,
    by: User | None,
    note: str = "",
    agency: Agency | None = None,
    session: Session | None = None,
    attachments: Iterable[File] = (),
) -> StatusUpdate:
    """Move ``commitment`` to status ``to``, recording who, when and why.

    The row is locked for the change so two people acting at once cannot both move
    it from the same status. Raises ``InvalidTransition`` with a reason a user can read.
    """
    if to not in Commitment.Status.values:
        raise InvalidTransition(_("“%(status)s” is not a commitment status.") % {"status": to})
    note = note.strip()
    with transaction.atomic():
        locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
        current = locked.status
        if to == current:
            raise InvalidTransition(
                _("The commitment is already “%(status)s”.")
                % {"status": locked.get_status_display()}
            )
        if to not in locked.allowed_transitions():
            raise InvalidTransition(
                _("A commitment that is “%(current)s” cannot become “%(to)s”.")
                % {
                    "current": locked.get_status_display(),
                    "to": Commitment.Status(to).label,
                }
            )
        if (current, to) in Commitment.REASON_REQUIRED and not note:
            raise InvalidTransition(
                _("Say why the commitment becomes “%(to)s”.") % {"to": Commitment.Status(to).label}
            )
        update = _record_update(
            commitment=locked,
            from_status=current,
            to_status=to,
            by=by,
            note=note,
            agency=agency,
            session=session,
            attachments=attachments,
        )
        locked.status = to
        if to in (Commitment.Status.CANCELLED, Commitment.Status.SUPERSEDED):
            locked.is_monitored = False
        locked._history_user = by
        locked._change_reason = note or str(update)
        locked.save(update_fields=["status", "is_monitored", "updated_at"])
    commitment.status = locked.status
    commitment.is_monitored = locked.is_monitored
    return update


def commitment_report_progress(
    *,
    commitment: Commitment,
    by: User | None,
    note: str,
    agency: Agency | None = None,
    session: Session | None = None,
    attachments: Iterable[File] = (),
) -> StatusUpdate:
    """Record a progress report that does not change the status."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Write what has been done.")})
    with transaction.atomic():
        return _record_update(
            commitment=commitment,
            from_status=commitment.status,
            to_status="",
            by=by,
            note=note,
            agency=agency,
            session=session,
            attachments=attachments,
        )


def _record_update(
    *,
    commitment: Commitment,
    from_status: str,
    to_status: str,
    by: User | None,
    note: str,
    agency: Agency | None,
    session: Session | None,
    attachments: Iterable[File],
) -> StatusUpdate:
    update = StatusUpdate(
        commitment=commitment,
        from_status=from_status,
        to_status=to_status,
        author=by,
        agency=agency,
        session=session,
        note=note,
    )
    update.full_clean()
    update.save()
    for upload in attachments:
        attachment = Attachment(update=update, original_name=upload.name[:255])
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
    return update


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
