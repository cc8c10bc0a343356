"""Indicators a council follows, their observed values and targets.

Corrections are edits, kept in the history with who and why; nothing is deleted.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Indicator, Observation, Target, User
from ._records import require_council_records, save_checked


def _may_not() -> str:
    return _("Only the council's secretariat may record its indicators.")


def indicator_save(*, indicator: Indicator, by: User | None, reason: str = "") -> Indicator:
    """Record a new indicator of a council, or save changes to one."""
    require_council_records(by, indicator.council_id, _may_not())
    if indicator.pk is not None:
        before = Indicator.objects.filter(pk=indicator.pk).values_list("council_id", flat=True)
        require_council_records(by, before.first(), _may_not())
    save_checked(
        indicator,
        by=by,
        reason=reason,
        duplicate=ValidationError(
            {"code": _("This council already has an indicator with this code.")}
        ),
    )
    return indicator


def observation_save(*, observation: Observation, by: User | None, reason: str = "") -> Observation:
    """Record a value of an indicator for a period, or correct one (with history)."""
    require_council_records(by, observation.indicator.council_id, _may_not())
    if observation.pk is not None:
        before = Observation.objects.filter(pk=observation.pk).values_list(
            "indicator__council_id", flat=True
        )
        require_council_records(by, before.first(), _may_not())
    start, end = observation.period_start, observation.period_end
    if start and end and end < start:
        raise ValidationError({"period_end": _("The period cannot end before it starts.")})
    save_checked(
        observation,
        by=by,
        reason=reason,
        duplicate=ValidationError(_("A value for this period is already recorded.")),
    )
    return observation


def target_save(*, target: Target, by: User | None, reason: str = "") -> Target:
    """Record a target of an indicator, or correct one (with history)."""
    require_council_records(by, target.indicator.council_id, _may_not())
    if target.pk is not None:
        before = Target.objects.filter(pk=target.pk).values_list("indicator__council_id", flat=True)
        require_council_records(by, before.first(), _may_not())
    save_checked(
        target,
        by=by,
        reason=reason,
        duplicate=ValidationError(
            {"target_date": _("A target for this date is already recorded.")}
        ),
    )
    return target
