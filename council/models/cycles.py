"""Reporting cycles: a commitment's periodic interim reports, one per side and period."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..fields import validate_recorded_date
from .base import choices_check
from .commitments import Commitment


class ReportingPeriod(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")


class ReportingCycle(models.Model):
    """Interim reports a commitment's responsible parties owe every period, set by the
    secretariat. Periods are calendar months, quarters or half-years from the one that
    holds ``starts_on``; each side's report for a period is due by ``due_day`` of the
    month after it. The periods are computed (``council.cycles``), not stored."""

    Period = ReportingPeriod

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.PROTECT,
        related_name="reporting_cycles",
    )
    period = models.CharField(_("period"), max_length=20, choices=Period, default=Period.QUARTERLY)
    due_day = models.PositiveSmallIntegerField(
        _("due by day of the next month"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("The interim report for a period is due by this day of the month after it."),
    )
    starts_on = models.DateField(_("first period holds"), validators=[validate_recorded_date])
    is_active = models.BooleanField(_("active"), default=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["commitment", "-created_at", "-pk"]
        verbose_name = _("reporting cycle")
        verbose_name_plural = _("reporting cycles")
        constraints = [
            choices_check("period", ReportingPeriod, "reportingcycle_period_valid"),
            models.UniqueConstraint(
                fields=["commitment"],
                condition=Q(is_active=True),
                name="reportingcycle_one_active",
            ),
            models.CheckConstraint(
                condition=Q(due_day__gte=1, due_day__lte=28), name="reportingcycle_due_day_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment}: {self.get_period_display()}"

    def clean(self) -> None:
        if self.due_day is not None and not 1 <= self.due_day <= 28:
            raise ValidationError({"due_day": _("Choose a day from 1 to 28.")})
