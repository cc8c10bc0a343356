"""A side of a commitment flagged at risk and cleared, and the secretariat's "remind now"."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from ..models import Commitment, Party, RiskFlag, SideNudge, User
from ..policies import Policy
from ..querysets import local_today
from ._records import save_with_history
from .notifications import Event, notify, side_focal_point_ids

REASON_MAX_LENGTH = 2000


def _side_party(commitment: Commitment, party: Party) -> None:
    if not commitment.responsibilities.filter(party=party).exists():
        raise ValidationError(
            _("%(party)s has no agency responsible for this commitment.") % {"party": party},
            code="not_a_side",
        )


def _open(commitment: Commitment) -> None:
    if not commitment.is_open:
        raise ValidationError(
            _("The commitment is “%(status)s”: its sides are no longer followed up.")
            % {"status": commitment.get_status_display()},
            code="closed",
        )


def _checked_text(value: str, field: str, *, required: str | None) -> str:
    value = (value or "").strip()
    if required and not value:
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


def risk_flag_raise(
    *, commitment: Commitment, party: Party, reason: str, by: User | None
) -> RiskFlag:
    """Flag a side at risk with why (``Policy.can_flag_risk``); one open flag a side. The
    side's focal points and the council's secretariat are notified."""
    if by is not None and not Policy(by).can_flag_risk(commitment, party.pk):
        raise PermissionDenied(
            _("Only the council's secretariat or this side's focal points may flag it at risk.")
        )
    _open(commitment)
    reason = _checked_text(reason, "reason", required=_("Say why this side is at risk."))
    _side_party(commitment, party)
    already = ValidationError(
        _("This side is already flagged at risk; clear the flag before raising a new one."),
        code="already_open",
    )
    with transaction.atomic():
        if RiskFlag.objects.open().filter(commitment=commitment, party=party).exists():
            raise already
        flag = RiskFlag(commitment=commitment, party=party, reason=reason, raised_by=by)
        try:
            with transaction.atomic():
                save_with_history(flag, by=by, reason=reason)
        except IntegrityError:
            raise already from None
        notify(
            Event.AT_RISK, commitment=commitment, about=flag, actor=by, party=party, detail=reason
        )
    return flag


def risk_flag_clear(*, flag: RiskFlag, by: User | None, note: str = "") -> RiskFlag:
    """Clear a side's risk flag: kept with who cleared it, when and why."""
    if by is not None and not Policy(by).can_flag_risk(flag.commitment, flag.party_id):
        raise PermissionDenied(
            _("Only the council's secretariat or this side's focal points may clear the flag.")
        )
    note = _checked_text(note, "note", required=None)
    with transaction.atomic():
        locked = RiskFlag.objects.select_for_update().get(pk=flag.pk)
        if locked.cleared_at is not None:
            raise ValidationError(_("This flag was already cleared."), code="cleared")
        locked.cleared_at = timezone.now()
        locked.cleared_by = by
        locked.clear_note = note
        save_with_history(locked, by=by, reason=note or _("Risk cleared"))
    flag.cleared_at, flag.cleared_by, flag.clear_note = locked.cleared_at, by, note
    return locked


def side_remind_now(
    *, commitment: Commitment, party: Party, by: User | None, note: str = ""
) -> SideNudge:
    """E-mail the side's focal points now (with the note), at most once a day a side
    (``Policy.can_remind_side``: the secretariat). Refused, saying when it went, when the
    side was already reminded today; refused when nobody can receive it."""
    if by is not None and not Policy(by).can_remind_side(commitment):
        raise PermissionDenied(_("Only the council's secretariat may send a reminder now."))
    _open(commitment)
    note = _checked_text(note, "note", required=None)
    _side_party(commitment, party)
    today = local_today()

    def refusal() -> ValidationError:
        sent = (
            SideNudge.objects.filter(commitment=commitment, party=party, day=today)
            .select_related("sent_by")
            .first()
        )
        return ValidationError(
            _(
                "%(party)s was already reminded today (at %(time)s by %(who)s). "
                "The next reminder can go tomorrow."
            )
            % {
                "party": party,
                "time": time_format(timezone.localtime(sent.sent_at), "TIME_FORMAT")
                if sent
                else "—",
                "who": (sent.sent_by if sent and sent.sent_by else "—"),
            },
            code="already_today",
        )

    if SideNudge.objects.filter(commitment=commitment, party=party, day=today).exists():
        raise refusal()
    recipients = side_focal_point_ids(commitment, party) - {getattr(by, "pk", None)}
    if not recipients:
        raise ValidationError(
            _("No focal point of %(party)s uses the app: nobody would receive the reminder.")
            % {"party": party},
            code="nobody",
        )
    with transaction.atomic():
        nudge = SideNudge(commitment=commitment, party=party, day=today, note=note, sent_by=by)
        try:
            with transaction.atomic():
                save_with_history(nudge, by=by, reason=note)
        except IntegrityError:
            raise refusal() from None
        nudge.recipients = notify(
            Event.REMIND_NOW,
            commitment=commitment,
            about=nudge,
            actor=by,
            party=party,
            detail=note,
        )
        # The count is the row's own figure, not an edit: no second history record.
        SideNudge.objects.filter(pk=nudge.pk).update(recipients=nudge.recipients)
    return nudge
