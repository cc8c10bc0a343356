"""Review of implementation: what a later session decided on an earlier commitment."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import webhooks as hooks
from ..models import Commitment, Review, Session, User, WebhookEvent
from ..policies import Policy
from ._records import save_with_history
from .commitments import _change_status
from .webhooks import webhook_emit


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
    The same rule of who may decide, and from which day, holds wherever it is called
    from (``Policy.review_decision_refusal``); the commitment's version moves on, so an
    edit form loaded before the decision cannot overwrite it.
    """
    if by is not None:
        refusal = Policy(by).review_decision_refusal(session)
        if refusal:
            raise PermissionDenied(refusal)
    errors: dict[str, str] = {}
    if commitment.session.council_id != session.council_id:
        errors["session"] = _("A commitment is reviewed by sessions of its own council.")
    elif commitment.session.number >= session.number:
        errors["session"] = _("Only a later session can review a commitment.")
    if decision not in Review.Decision.values:
        # Whoever calls, no decision is taken for the council by default.
        errors["decision"] = _("Choose a decision.")
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
        webhook_emit(
            event=WebhookEvent.REVIEW_DECIDED,
            council_id=session.council_id,
            data=hooks.review_data(review),
        )

        status_after = {
            Review.Decision.COMPLETED: Commitment.Status.COMPLETED,
            Review.Decision.CANCEL: Commitment.Status.CANCELLED,
            Review.Decision.REPLACE: Commitment.Status.SUPERSEDED,
        }.get(decision)
        if status_after and commitment.status != status_after:
            _change_status(
                commitment=commitment,
                to=status_after,
                by=by,
                note=reason,
                agency=None,
                session=session,
                attachments=(),
                check_user=False,  # the session decides, by the rule checked above
            )
        locked = Commitment.objects.select_for_update(of=("self",)).get(pk=commitment.pk)
        locked.is_monitored = decision in (Review.Decision.KEEP, Review.Decision.EXTEND)
        if decision == Review.Decision.EXTEND:
            locked.deadline_kind = Commitment.DeadlineKind.DATE
            locked.deadline = new_deadline
        locked.version += 1
        save_with_history(
            locked,
            by=by,
            reason=reason,
            update_fields=["is_monitored", "deadline_kind", "deadline", "version", "updated_at"],
        )
        for field in ("status", "is_monitored", "deadline_kind", "deadline", "version"):
            setattr(commitment, field, getattr(locked, field))
        if decision == Review.Decision.REPLACE:
            replaced = Commitment.objects.select_for_update(of=("self",)).get(pk=replacement.pk)
            replaced.carries_over = commitment
            replaced.version += 1
            save_with_history(
                replaced,
                by=by,
                reason=reason,
                update_fields=["carries_over", "version", "updated_at"],
            )
            replacement.carries_over_id, replacement.version = commitment.pk, replaced.version
    return review
