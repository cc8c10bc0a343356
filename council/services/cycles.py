"""Reporting cycles: the secretariat sets a commitment's periodic interim reports, or
stops them. One cycle is active per commitment; a new one replaces it, the old one is
kept, stopped, in the history."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Commitment, ReportingCycle, User
from ..policies import Policy
from ..querysets import local_today
from ._records import save_with_history


def _check(commitment: Commitment, by: User | None) -> None:
    if by is None:
        if not commitment.is_open:
            raise ValidationError(_("A closed commitment has no reporting cycle."))
        return
    refusal = Policy(by).reporting_cycle_refusal(commitment)
    if refusal is None:
        return
    if not Policy(by).can_edit_commitment(commitment):
        raise PermissionDenied(refusal)
    raise ValidationError(refusal)


def reporting_cycle_set(
    *,
    commitment: Commitment,
    period: str,
    due_day: int = 10,
    starts_on: datetime.date | None = None,
    by: User | None,
    reason: str = "",
) -> ReportingCycle:
    """Give ``commitment`` a reporting cycle (replacing the active one, if any)."""
    _check(commitment, by)
    cycle = ReportingCycle(
        commitment=commitment,
        period=period,
        due_day=due_day,
        starts_on=starts_on or local_today(),
        created_by=by,
    )
    cycle.full_clean(exclude=["commitment"])
    with transaction.atomic():
        Commitment.objects.select_for_update().filter(pk=commitment.pk).first()
        for old in ReportingCycle.objects.filter(commitment=commitment, is_active=True):
            _stop(old, by=by, reason=_("Replaced by a new reporting cycle."))
        save_with_history(cycle, by=by, reason=reason)
    return cycle


def reporting_cycle_stop(*, commitment: Commitment, by: User | None, reason: str = "") -> None:
    """Stop ``commitment``'s reporting cycle: no more interim reports are due."""
    if by is not None and not Policy(by).can_edit_commitment(commitment):
        raise PermissionDenied(_("Only the council's secretariat may set a reporting cycle."))
    with transaction.atomic():
        active = list(
            ReportingCycle.objects.select_for_update().filter(commitment=commitment, is_active=True)
        )
        if not active:
            raise ValidationError(_("This commitment has no reporting cycle to stop."))
        for cycle in active:
            _stop(cycle, by=by, reason=reason)


def _stop(cycle: ReportingCycle, *, by: User | None, reason: str) -> None:
    cycle.is_active = False
    cycle.stopped_at = timezone.now()
    save_with_history(cycle, by=by, reason=reason, update_fields=["is_active", "stopped_at"])
