"""A side of a commitment (the commitment and one responsible party) flagged at risk,
reminded by the secretariat, or gone stale with no report."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..querysets import local_today
from .commitments import Commitment, Responsibility, StatusUpdate
from .councils import Council
from .reference import Party
from .sessions import Session


class RiskFlagQuerySet(models.QuerySet):
    def open(self) -> RiskFlagQuerySet:
        return self.filter(cleared_at__isnull=True)


class RiskFlag(models.Model):
    """A side flagged at risk, with why; cleared (never deleted) when the risk is gone."""

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.PROTECT,
        related_name="risk_flags",
    )
    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.PROTECT)
    reason = models.TextField(_("reason"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cleared by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    clear_note = models.TextField(_("note on clearing"), blank=True)

    objects = RiskFlagQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = _("risk flag")
        verbose_name_plural = _("risk flags")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "party"],
                condition=Q(cleared_at__isnull=True),
                name="riskflag_one_open_per_side",
            ),
        ]
        indexes = [
            models.Index(
                fields=["commitment"],
                name="riskflag_open_idx",
                condition=Q(cleared_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment} — {self.party.code}"

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None


class SideNudge(models.Model):
    """The secretariat's "remind now" to one side's focal points: at most one a day."""

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.PROTECT, related_name="nudges"
    )
    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.PROTECT)
    day = models.DateField(_("day"))
    note = models.TextField(_("note"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("reminder to a side")
        verbose_name_plural = _("reminders to a side")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "party", "day"], name="sidenudge_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment} — {self.party.code} ({self.day})"


# Stale sides ------------------------------------------------------------------------------


def stale_cutoffs(council_ids, today: datetime.date | None = None) -> dict[int, datetime.date]:
    """The day from which each council (of ``council_ids``, a list or a query) expects a
    report from every side: ``today`` minus the council's ``stale_after_days``, or the
    first day of its last session held. One query; a council with neither has none."""
    today = today or local_today()
    last_held = (
        Session.objects.held()
        .filter(council=OuterRef("pk"), start_date__lte=today)
        .order_by("-start_date")
        .values("start_date")[:1]
    )
    councils = (
        Council.objects.filter(pk__in=council_ids)
        .annotate(last_held=models.Subquery(last_held))
        .values_list("pk", "stale_after_days", "last_held")
    )
    cutoffs: dict[int, datetime.date] = {}
    for council_id, days, last in councils:
        if days:
            cutoffs[council_id] = today - datetime.timedelta(days=days)
        elif last:
            cutoffs[council_id] = last
    return cutoffs


def stale_sides(commitments, today: datetime.date | None = None):
    """The stale sides of ``commitments`` as ``Responsibility`` values (commitment_id,
    party_id), one row per side: the commitment is open and monitored, was adopted before
    its council's cutoff, and no report by an agency of that party (not withdrawn) was
    made since the cutoff. Two queries, whatever the rows: the councils' cutoffs
    (``stale_cutoffs``) and, when evaluated, the sides."""
    commitments = commitments.open().monitored()
    # Every council's cutoff (there are tens): asking which councils the commitments
    # belong to first was a semi-join over all of them (0.6 s for a focal point's 100k at
    # a million commitments).
    cutoffs = stale_cutoffs(Council.objects.values("pk"), today)
    zone = timezone.get_current_timezone()
    # No cutoff anywhere: the day is NULL and nothing matches (the query still runs, so
    # a page runs as many queries with stale sides as without).
    cutoff_day = models.Case(
        *(
            models.When(commitment__council_id=pk, then=models.Value(day))
            for pk, day in cutoffs.items()
        ),
        default=models.Value(None),
        output_field=models.DateField(),
    )
    cutoff_at = models.Case(
        *(
            models.When(
                commitment__council_id=pk,
                then=models.Value(datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)),
            )
            for pk, day in cutoffs.items()
        ),
        default=models.Value(None),
        output_field=models.DateTimeField(),
    )
    reported = StatusUpdate.objects.filter(
        commitment=OuterRef("commitment_id"),
        agency__party=OuterRef("party_id"),
        withdrawn_at__isnull=True,
        created_at__gte=OuterRef("stale_since_at"),
    )
    return (
        Responsibility.objects.filter(commitment__in=commitments.order_by().values("pk"))
        .annotate(stale_since=cutoff_day, stale_since_at=cutoff_at)
        .filter(commitment__adopted_on__lt=models.F("stale_since"))
        .filter(~Exists(reported))
        .values("commitment_id", "party_id")
        .distinct()
        .order_by("commitment_id", "party_id")
    )


def stale_parties_by_commitment(commitment_ids, today: datetime.date | None = None):
    """{commitment id: [party code, ...]} of the stale sides of those commitments."""
    rows = (
        stale_sides(Commitment.objects.filter(pk__in=list(commitment_ids)), today)
        .values_list("commitment_id", "party__code")
        .order_by("commitment_id", "party__order", "party__code")
    )
    found: dict[int, list[str]] = {}
    for commitment_id, code in rows:
        found.setdefault(commitment_id, []).append(code)
    return found
