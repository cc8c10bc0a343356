"""Report figures counted ahead: one tally per council (issue 18)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .councils import Council


class ReportTally(models.Model):
    """One council's report counts (``council.reporting.figures.Tally``: by status,
    sector, party, agency, session…, keyed by id), as of ``day``. On a large archive the
    background scan counts each council again every few minutes and the reports page
    adds up the tallies of the councils it shows, so that no page aggregates a million
    commitments. Derived from the records: counted again, never edited."""

    council = models.OneToOneField(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("as of the day"))
    counts = models.JSONField(_("counts"), default=dict)
    computed_at = models.DateTimeField(_("counted at"), default=timezone.now)

    class Meta:
        ordering = ["council"]
        verbose_name = _("report tally")
        verbose_name_plural = _("report tallies")

    def __str__(self) -> str:
        return f"{self.council} ({self.day})"


class ComplianceTally(models.Model):
    """One council's compliance scores added up by session, sector and agency
    (``council.reporting.compliance.sums``: per party, the total, the sides and how
    many are final, interim or live). On a large archive the background scan adds them
    up again every few minutes, an assessment or override adds up its council's at
    once, and the compliance page reads them instead of scoring every side of the
    council (3.6 s for the biggest at a million). Derived: counted again, never edited."""

    council = models.OneToOneField(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+"
    )
    sums = models.JSONField(_("counts"), default=dict)
    computed_at = models.DateTimeField(_("counted at"), default=timezone.now)

    class Meta:
        ordering = ["council"]
        verbose_name = _("compliance tally")
        verbose_name_plural = _("compliance tallies")

    def __str__(self) -> str:
        return str(self.council)
