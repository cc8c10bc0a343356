"""Writes with rules: views, admin, tasks and the demo loader all change state through here."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Agency,
    Attachment,
    Commitment,
    Review,
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


def review_record_decision(
    *,
    commitment: Commitment,
    session: Session,
    decision: str,
    by: User | None,
    note: str = "",
    new_deadline: datetime.date | None = None,
    replacement: Commitment | None = None,
) -> Review:
    """Record what ``session`` decided on an earlier ``commitment`` and apply it.

    Completed and cancelled commitments leave monitoring; an extension moves the
    deadline; a replacement supersedes the commitment with one adopted at ``session``.
    """
    errors: dict[str, str] = {}
    if commitment.session.council_id != session.council_id:
        errors["session"] = _("A commitment is reviewed by sessions of its own council.")
    elif commitment.session.number >= session.number:
        errors["session"] = _("Only a later session can review a commitment.")
    if decision == Review.Decision.EXTEND and not new_deadline:
        errors["new_deadline"] = _("Give the new deadline.")
    if decision == Review.Decision.REPLACE:
        if replacement is None:
            errors["replacement"] = _("Choose the new commitment that replaces it.")
        elif replacement.session_id != session.pk:
            errors["replacement"] = _("The replacement must be adopted at the reviewing session.")
    if errors:
        raise ValidationError(errors)

    reason = note.strip() or _("Decision of %(session)s") % {"session": session}
    with transaction.atomic():
        review = Review(
            commitment=commitment,
            session=session,
            decision=decision,
            note=note.strip(),
            new_deadline=new_deadline if decision == Review.Decision.EXTEND else None,
            replacement=replacement if decision == Review.Decision.REPLACE else None,
            decided_by=by,
        )
        review.full_clean()
        review.save()

        status_after = {
            Review.Decision.COMPLETED: Commitment.Status.COMPLETED,
            Review.Decision.CANCEL: Commitment.Status.CANCELLED,
            Review.Decision.REPLACE: Commitment.Status.SUPERSEDED,
        }.get(decision)
        if status_after and commitment.status != status_after:
            commitment_change_status(
                commitment=commitment, to=status_after, by=by, note=reason, session=session
            )
        commitment.refresh_from_db()
        commitment.is_monitored = decision in (Review.Decision.KEEP, Review.Decision.EXTEND)
        if decision == Review.Decision.EXTEND:
            commitment.deadline_kind = Commitment.DeadlineKind.DATE
            commitment.deadline = new_deadline
        commitment._history_user = by
        commitment._change_reason = reason
        commitment.save(update_fields=["is_monitored", "deadline_kind", "deadline", "updated_at"])
        if decision == Review.Decision.REPLACE:
            replacement.carries_over = commitment
            replacement._history_user = by
            replacement._change_reason = reason
            replacement.save(update_fields=["carries_over", "updated_at"])
    return review


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
