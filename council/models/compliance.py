"""Compliance scores: how far each party kept each commitment, as a session's review of
implementation judged it (the G20 Research Group's method, ``council.compliance``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import choices_check
from .commitments import Commitment
from .reference import Party
from .sessions import Session


class ComplianceKind(models.TextChoices):
    INTERIM = "interim", _("Interim")
    FINAL = "final", _("Final")


class ComplianceValue(models.IntegerChoices):
    FULL = 1, _("+1 full compliance")
    PARTIAL = 0, _("0 partial compliance")
    NONE = -1, _("−1 no compliance")


class ComplianceScore(models.Model):
    """One party's score on one commitment at one assessing session's review: derived
    from the party's side and the session's decision, or overridden with a reason."""

    Kind = ComplianceKind
    Value = ComplianceValue

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.PROTECT,
        related_name="compliance_scores",
    )
    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="+"
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("assessed at"),
        on_delete=models.PROTECT,
        related_name="compliance_scores",
    )
    kind = models.CharField(_("assessment"), max_length=10, choices=ComplianceKind)
    derived = models.SmallIntegerField(_("derived score"), choices=ComplianceValue)
    override = models.SmallIntegerField(
        _("score set by the secretariat"), choices=ComplianceValue, null=True, blank=True
    )
    override_reason = models.TextField(_("reason for the score set"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("score set by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    overridden_at = models.DateTimeField(_("score set at"), null=True, blank=True)
    assessed_at = models.DateTimeField(_("derived at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "commitment", "party__order"]
        verbose_name = _("compliance score")
        verbose_name_plural = _("compliance scores")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "party", "session"], name="compliance_once_per_session"
            ),
            choices_check("kind", ComplianceKind, "compliance_kind_valid"),
            models.CheckConstraint(
                condition=Q(derived__gte=-1, derived__lte=1), name="compliance_derived_valid"
            ),
            models.CheckConstraint(
                condition=Q(override__isnull=True)
                | (Q(override__gte=-1, override__lte=1) & ~Q(override_reason="")),
                name="compliance_override_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "party"], name="compliance_session_party_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.commitment} — {self.party}: {self.score:+d}"

    @property
    def score(self) -> int:
        """The score that counts: the secretariat's when it set one, else the derived."""
        return self.derived if self.override is None else self.override

    @property
    def is_overridden(self) -> bool:
        return self.override is not None
