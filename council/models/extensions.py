"""Extension requests: a responsible party asks for a later deadline, the secretariat (or
a manager) grants or refuses it. The commitment keeps its original deadline, so reports
can tell work done on time from work done on time only after an extension."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..fields import validate_recorded_date
from .base import choices_check
from .commitments import Commitment
from .reference import Party


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ExtensionRequest(models.Model):
    """One party's request to move a commitment's deadline, and the decision on it."""

    Status = ExtensionStatus

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.PROTECT,
        related_name="extension_requests",
    )
    # The requesting side: a commitment binds each party whose agencies are responsible.
    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    # The deadline when the request was made, so the record reads "from → to" for good.
    current_deadline = models.DateField(_("deadline at the time"), null=True, blank=True)
    new_deadline = models.DateField(_("new deadline"), validators=[validate_recorded_date])
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.PENDING, editable=False
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decision_comment = models.TextField(_("comment on the decision"), blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            choices_check("status", ExtensionStatus, "extensionrequest_status_valid"),
            models.UniqueConstraint(
                fields=["commitment", "party"],
                condition=Q(status="pending"),
                name="extensionrequest_one_pending_per_side",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="extensionrequest_reason_given"),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(decision_comment=""),
                name="extensionrequest_refusal_explained",
            ),
        ]
        indexes = [
            # The dashboard's count: pending requests (a few) by commitment.
            models.Index(
                fields=["commitment"],
                name="extensionrequest_pending_idx",
                condition=Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment} — {self.new_deadline:%d.%m.%Y} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == ExtensionStatus.PENDING
