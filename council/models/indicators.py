"""Indicators the council follows: observations and targets."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..fields import validate_recorded_date
from .base import Sourced, choices_check
from .councils import Council
from .reference import Sector
from .sessions import Session


class IndicatorUnit(models.TextChoices):
    USD = "USD", _("US dollars")
    PERCENT = "percent", _("Percent")
    TONNES = "tonnes", _("Tonnes")
    COUNT = "count", _("Count")


class Indicator(models.Model):
    """A figure a council follows over time, e.g. bilateral trade turnover."""

    Unit = IndicatorUnit

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="indicators"
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit)
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["council", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["council", "code"], name="indicator_code_per_council"),
            choices_check("unit", IndicatorUnit, "indicator_unit_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class ObservationQualifier(models.TextChoices):
    EXACT = "exact", _("exactly")
    ABOUT = "about", _("about")
    OVER = "over", _("over")
    UNDER = "under", _("under")


class Observation(Sourced):
    """One value of an indicator over a period, as reported."""

    Qualifier = ObservationQualifier

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="observations",
    )
    period_start = models.DateField(_("period start"), validators=[validate_recorded_date])
    period_end = models.DateField(_("period end"), validators=[validate_recorded_date])
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    qualifier = models.CharField(
        _("qualifier"), max_length=10, choices=Qualifier, default=Qualifier.EXACT
    )
    change_pct = models.DecimalField(
        _("change vs same period a year earlier, %"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
    )
    reported_at = models.ForeignKey(
        Session,
        verbose_name=_("reported at session"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observations",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period_start", "period_end"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end"],
                name="observation_once_per_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="observation_period_ordered"
            ),
            choices_check("qualifier", ObservationQualifier, "observation_qualifier_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.period_start:%m.%Y}–{self.period_end:%m.%Y})"


class Target(models.Model):
    """A value a council aims an indicator to reach by a date."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="targets"
    )
    target_date = models.DateField(_("by"), validators=[validate_recorded_date])
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "target_date"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "target_date"], name="target_once_per_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} by {self.target_date}"
