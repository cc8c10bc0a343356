"""Extension requests: a responsible party asks for a later deadline with a reason; the
council's secretariat or a manager grants it (the commitment's deadline moves, its
original deadline stays) or refuses it with a comment; the requester may withdraw it.

Each function writes in one transaction and returns the request, so whatever follows a
decision (a notification) is one call after it."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..fields import validate_recorded_date
from ..models import Commitment, ExtensionRequest, Party, User
from ..policies import Policy
from ._records import insert_once, save_with_history
from .commitments import REASON_MAX_LENGTH, commitment_move_deadline
from .notifications import Event, notify

Status = ExtensionRequest.Status


def _short(day: datetime.date | None) -> str:
    return date_format(day, "SHORT_DATE_FORMAT") if day else "—"


def _text(value: str | None, field: str, *, required: str) -> str:
    """``value`` stripped, refused (on ``field``) when empty or too long."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: required}, code="required")
    if len(value) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                field: _("Keep it under %(n)s characters (it has %(length)s).")
                % {"n": REASON_MAX_LENGTH, "length": len(value)}
            },
            code="too_long",
        )
    return value


def _pending_taken(commitment: Commitment, party: Party) -> bool:
    return ExtensionRequest.objects.filter(
        commitment=commitment, party=party, status=Status.PENDING
    ).exists()


def _pending_error(party: Party) -> ValidationError:
    return ValidationError(
        {
            "new_deadline": _(
                "%(party)s already has an extension request awaiting decision on this commitment."
            )
            % {"party": party}
        },
        code="pending_exists",
    )


def extension_request(
    *,
    commitment: Commitment,
    party: Party,
    new_deadline: datetime.date | None,
    reason: str,
    by: User | None,
) -> ExtensionRequest:
    """Ask to move ``commitment``'s deadline to ``new_deadline`` on behalf of ``party``.

    Allowed to the focal points of that party's responsible agencies and to the
    council's secretariat (``Policy.can_request_extension``); the commitment must be
    open with a dated deadline, the new date later than it, a reason given, and no other
    request of that party awaiting decision. Refusals are ``ValidationError``s naming the
    field (``new_deadline``, ``reason``), ``PermissionDenied`` for the wrong person."""
    if by is not None and not Policy(by).can_request_extension(commitment, party.pk):
        raise PermissionDenied(
            _(
                "Only the focal points of a responsible agency of this party, or the "
                "council's secretariat, may ask to extend this deadline."
            )
        )
    errors: dict[str, str] = {}
    if not commitment.is_open:
        errors["new_deadline"] = _("Only an open commitment's deadline can be extended.")
    elif commitment.deadline_kind != Commitment.DeadlineKind.DATE or commitment.deadline is None:
        errors["new_deadline"] = _("Only a dated deadline can be extended.")
    elif new_deadline is None:
        errors["new_deadline"] = _("Give the new deadline.")
    else:
        try:
            validate_recorded_date(new_deadline)
        except ValidationError as error:
            errors["new_deadline"] = " ".join(error.messages)
        else:
            if new_deadline <= commitment.deadline:
                errors["new_deadline"] = _(
                    "The new deadline must be later than the current one (%(deadline)s)."
                ) % {"deadline": _short(commitment.deadline)}
    try:
        reason = _text(reason, "reason", required=_("Say why more time is needed."))
    except ValidationError as error:
        errors.update({k: " ".join(v) for k, v in error.message_dict.items()})
    if not errors and _pending_taken(commitment, party):
        raise _pending_error(party)
    if errors:
        raise ValidationError(errors)
    request = ExtensionRequest(
        commitment=commitment,
        party=party,
        requested_by=by,
        current_deadline=commitment.deadline,
        new_deadline=new_deadline,
        reason=reason,
    )
    insert_once(
        request,
        by=by,
        reason=_("Extension requested: %(before)s → %(after)s")
        % {"before": _short(commitment.deadline), "after": _short(new_deadline)},
        taken=lambda: _pending_taken(commitment, party),
        refusal=_pending_error(party),
    )
    if by is not None:
        notify(
            Event.EXTENSION_REQUESTED,
            commitment=commitment,
            about=request,
            actor=by,
            party=party,
            # Stored text, read later in any language: the date in digits, as all four write it.
            detail=f"{new_deadline:%d.%m.%Y}: {reason}",
        )
    return request


def _lock_pending(request: ExtensionRequest) -> ExtensionRequest:
    """The request locked, refused when it was decided or withdrawn meanwhile."""
    locked = (
        ExtensionRequest.objects.select_for_update(of=("self",))
        .select_related("commitment")
        .get(pk=request.pk)
    )
    if not locked.is_pending:
        raise ValidationError(
            _("This request is no longer awaiting a decision: it is now “%(status)s”.")
            % {"status": locked.get_status_display()},
            code="decided",
        )
    return locked


def _check_decider(request: ExtensionRequest, by: User | None) -> None:
    if by is not None and not Policy(by).can_decide_extension(request):
        if not request.is_pending:
            return  # the locked row says why (``_lock_pending``)
        raise PermissionDenied(
            _("Only the council's secretariat or a manager may decide on an extension.")
        )


def _close(request: ExtensionRequest, locked: ExtensionRequest, *, status, by, comment, why):
    locked.status = status
    locked.decided_by = by if status != Status.WITHDRAWN else None
    locked.decided_at = timezone.now()
    locked.decision_comment = comment
    save_with_history(
        locked,
        by=by,
        reason=why,
        update_fields=["status", "decided_by", "decided_at", "decision_comment"],
    )
    for name in ("status", "decided_by_id", "decided_at", "decision_comment"):
        setattr(request, name, getattr(locked, name))


def extension_grant(*, request: ExtensionRequest, comment: str = "", by: User | None):
    """Grant a pending request: the commitment's deadline becomes the requested date
    (through ``commitment_move_deadline``: history, version), its original deadline
    stays. The comment is optional. Refused when the deadline has meanwhile moved to the
    requested date or beyond (a session's decision, another request)."""
    _check_decider(request, by)
    comment = (comment or "").strip()
    with transaction.atomic():
        locked = _lock_pending(request)
        commitment = Commitment.objects.select_for_update(of=("self",)).get(pk=locked.commitment_id)
        if not commitment.is_open:
            raise ValidationError(
                _("The commitment is now “%(status)s”: its deadline is no longer extended.")
                % {"status": commitment.get_status_display()},
                code="closed",
            )
        if commitment.deadline is not None and locked.new_deadline <= commitment.deadline:
            raise ValidationError(
                _(
                    "The deadline is already %(deadline)s: granting would not extend it. "
                    "Refuse or let the requester withdraw the request."
                )
                % {"deadline": _short(commitment.deadline)},
                code="already_later",
            )
        why = _("Extension granted: %(before)s → %(after)s") % {
            "before": _short(commitment.deadline),
            "after": _short(locked.new_deadline),
        }
        if comment:
            why = f"{why}. {comment}"
        _close(request, locked, status=Status.GRANTED, by=by, comment=comment, why=why)
        commitment_move_deadline(
            commitment=commitment, new_deadline=locked.new_deadline, by=by, reason=why
        )
        _notify_decided(request, commitment, by, why)
    return request


def extension_refuse(*, request: ExtensionRequest, comment: str, by: User | None):
    """Refuse a pending request; the comment (why) is required and the deadline stays."""
    _check_decider(request, by)
    comment = _text(
        comment,
        "comment",
        required=_("Say why the extension is refused: the requester acts on it."),
    )
    with transaction.atomic():
        locked = _lock_pending(request)
        why = _("Extension refused: %(comment)s") % {"comment": comment}
        _close(request, locked, status=Status.REFUSED, by=by, comment=comment, why=why)
        if by is not None:
            commitment = Commitment.objects.get(pk=request.commitment_id)
            _notify_decided(request, commitment, by, why)
    return request


def _notify_decided(request: ExtensionRequest, commitment: Commitment, by, why: str) -> None:
    """The requesting side hears of the decision (the system's own moves tell nobody)."""
    if by is not None:
        notify(
            Event.EXTENSION_DECIDED,
            commitment=commitment,
            about=request,
            actor=by,
            party=request.party_id,
            detail=why,
        )


def extension_withdraw(*, request: ExtensionRequest, by: User | None, reason: str = ""):
    """The requester withdraws their pending request (the reason is optional)."""
    if by is not None and request.is_pending and not Policy(by).can_withdraw_extension(request):
        raise PermissionDenied(_("Only whoever made the request may withdraw it."))
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _lock_pending(request)
        why = _("Withdrawn: %(reason)s") % {"reason": reason} if reason else _("Withdrawn")
        _close(request, locked, status=Status.WITHDRAWN, by=by, comment=reason, why=why)
    return request
