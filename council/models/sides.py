"""Each party's side of a commitment: a clause binding both parties is done when each of
them has done its part, and the co-chairs see which side lags."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Exists, Max, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..querysets import local_today
from .base import choices_check
from .commitments import Commitment, CommitmentStatus, StatusUpdate
from .reference import Party


class SideStatus(models.TextChoices):
    """A side's own status: the commitment's working statuses (cancelling or replacing a
    commitment is the council's decision on the whole commitment, not a side's)."""

    NOT_STARTED = CommitmentStatus.NOT_STARTED.value, CommitmentStatus.NOT_STARTED.label
    IN_PROGRESS = CommitmentStatus.IN_PROGRESS.value, CommitmentStatus.IN_PROGRESS.label
    COMPLETION_REPORTED = (
        CommitmentStatus.COMPLETION_REPORTED.value,
        CommitmentStatus.COMPLETION_REPORTED.label,
    )
    COMPLETED = CommitmentStatus.COMPLETED.value, CommitmentStatus.COMPLETED.label


# A side silent this long while another reported completion is flagged.
SILENCE_DAYS = 30


def derived_status(statuses) -> str:
    """The commitment's status that follows from its sides' ``statuses``: completed when
    every side is completed; completion reported when every side has reported or
    completed and at least one reported; in progress when any side has started; else not
    started."""
    statuses = list(statuses)
    S = SideStatus
    if not statuses:
        return S.NOT_STARTED
    if all(s == S.COMPLETED for s in statuses):
        return S.COMPLETED
    if all(s in (S.COMPLETION_REPORTED, S.COMPLETED) for s in statuses):
        return S.COMPLETION_REPORTED
    if any(s != S.NOT_STARTED for s in statuses):
        return S.IN_PROGRESS
    return S.NOT_STARTED


class CommitmentSideQuerySet(models.QuerySet):
    def responsible(self):
        return self.filter(is_responsible=True)

    def completion_reported(self):
        """Responsible sides that reported their part done and wait for a review: few,
        under their own partial index."""
        return self.responsible().filter(status=self.model.Status.COMPLETION_REPORTED)

    def with_last_report(self):
        """Each side's newest report date (withdrawn reports do not count) as
        ``last_report_at``."""
        return self.annotate(
            last_report_at=Max("updates__created_at", filter=Q(updates__withdrawn_at__isnull=True))
        )

    def flagged(self, today: datetime.date | None = None):
        """Sides that reported completion (or are completed) while another responsible
        side of the same commitment has been silent for ``SILENCE_DAYS`` days or more (no
        report in that time, or never)."""
        today = today or local_today()
        since = today - datetime.timedelta(days=SILENCE_DAYS)
        recent = StatusUpdate.objects.filter(
            side=OuterRef("pk"), withdrawn_at__isnull=True, created_at__date__gt=since
        )
        silent = (
            CommitmentSide.objects.filter(commitment=OuterRef("commitment"), is_responsible=True)
            .exclude(pk=OuterRef("pk"))
            .exclude(status__in=[SideStatus.COMPLETION_REPORTED, SideStatus.COMPLETED])
            .annotate(spoke=Exists(recent))
            .filter(spoke=False)
        )
        # A side has been silent as long as the commitment exists when it never reported.
        return self.filter(
            is_responsible=True,
            status__in=[SideStatus.COMPLETION_REPORTED, SideStatus.COMPLETED],
            commitment__status__in=Commitment.OPEN_STATUSES,
            commitment__adopted_on__lte=since,
        ).filter(Exists(silent))


class CommitmentSide(models.Model):
    """One party's part of a commitment: its own status and its own reports."""

    Status = SideStatus

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.PROTECT, related_name="sides"
    )
    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="sides"
    )
    status = models.CharField(
        _("status"), max_length=30, choices=SideStatus, default=SideStatus.NOT_STARTED
    )
    # A party whose agencies are no longer responsible keeps its side and its reports
    # (never deleted); it no longer counts towards the commitment's status.
    is_responsible = models.BooleanField(_("still responsible"), default=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CommitmentSideQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["commitment", "party__order", "party__pk"]
        verbose_name = _("side of a commitment")
        verbose_name_plural = _("sides of commitments")
        constraints = [
            models.UniqueConstraint(fields=["commitment", "party"], name="side_once_per_party"),
            choices_check("status", SideStatus, "side_status_valid"),
        ]
        indexes = [
            # The managers' queue: a side that reported completion while the commitment,
            # waiting on another side, is still "in progress" (a few rows of millions).
            models.Index(
                fields=["commitment"],
                name="side_reported_idx",
                condition=Q(status="completion_reported", is_responsible=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment} — {self.party}"

    def get_absolute_url(self) -> str:
        return f"{self.commitment.get_absolute_url()}#side-{self.pk}"

    def allowed_transitions(self) -> frozenset[str]:
        return Commitment.TRANSITIONS[self.status] & frozenset(SideStatus.values)
