"""Reminder rules, the reminders sent, and who muted which council."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .base import choices_check
from .commitments import Commitment
from .councils import Council
from .reference import Party
from .sessions import Session


class ReminderKind(models.TextChoices):
    BEFORE_DEADLINE = "before_deadline", _("Before a deadline")
    OVERDUE = "overdue", _("Overdue")
    ESCALATION = "escalation", _("Escalation to managers")
    SESSION_PREPARATION = "session_preparation", _("Preparation of a session")
    WEEKLY_DIGEST = "weekly_digest", _("Weekly digest for managers")
    INTERIM_REPORT = "interim_report", _("Interim report due")


class NotificationEvent(models.TextChoices):
    """Notifications sent when something happens (not on a schedule): each is a
    ``Reminder`` whose key names the event, the object and the recipient."""

    ASSIGNED = "event_assigned", _("New commitment for your agency")
    COMPLETION_REPORTED = "event_completion_reported", _("Completion reported")
    COMPLETION_ACCEPTED = "event_completion_accepted", _("Completion accepted")
    COMPLETION_RETURNED = "event_completion_returned", _("Completion returned")
    EXTENSION_REQUESTED = "event_extension_requested", _("Extension requested")
    EXTENSION_DECIDED = "event_extension_decided", _("Extension decided")
    AT_RISK = "event_at_risk", _("Side flagged at risk")
    REMIND_NOW = "event_remind_now", _("Reminder from the secretariat")


# What a ``Reminder`` may be: a scheduled reminder or an event notification.
REMINDER_KINDS = [*ReminderKind.choices, *NotificationEvent.choices]


class ReminderRule(models.Model):
    """When reminders go out; one row per kind, edited in admin."""

    Kind = ReminderKind

    kind = models.CharField(_("kind"), max_length=30, choices=ReminderKind, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    days = models.CharField(
        _("days"),
        max_length=100,
        blank=True,
        help_text=_(
            "Before a deadline: days before, comma-separated (30,7,1). Overdue: days after "
            "the deadline of the first reminder (1). Escalation: days overdue (14). Session "
            "preparation: days before the session (21). Weekly digest: weekday, 1 = Monday. "
            "Interim report: days before an interim report is due (7,1)."
        ),
    )
    repeat_every_days = models.PositiveSmallIntegerField(
        _("then repeat every (days)"),
        null=True,
        blank=True,
        help_text=_("Overdue reminders repeat at this interval (7 = weekly)."),
    )

    class Meta:
        ordering = ["kind"]
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        constraints = [choices_check("kind", ReminderKind, "reminderrule_kind_valid")]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def day_list(self) -> list[int]:
        """The ``days`` field as integers, largest first; bad entries are ignored."""
        values = []
        for part in self.days.split(","):
            part = part.strip()
            if part.isdigit():
                values.append(int(part))
        return sorted(set(values), reverse=True)

    def clean(self) -> None:
        bad = [p for p in self.days.split(",") if p.strip() and not p.strip().isdigit()]
        if bad:
            raise ValidationError({"days": _("Use whole numbers separated by commas.")})
        if self.kind == ReminderKind.WEEKLY_DIGEST and any(d < 1 or d > 7 for d in self.day_list):
            raise ValidationError({"days": _("A weekday is a number from 1 (Monday) to 7.")})


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class ReminderQuerySet(models.QuerySet):
    def inbox(self, user) -> ReminderQuerySet:
        """What the user's notifications page lists: reminders once mailed, and event
        notifications from the moment they are recorded (mailed or not)."""
        return self.filter(recipient=user).filter(
            Q(status=ReminderStatus.SENT) | Q(kind__in=NotificationEvent.values)
        )


class Reminder(models.Model):
    """One reminder to one person, recorded before it is sent; its key makes it happen once.

    The key names the rule, the object, the recipient and the occurrence (the day the
    reminder falls due), so scans that run twice, overlap or catch up after an outage
    find the row already there and add nothing.
    """

    Status = ReminderStatus

    Event = NotificationEvent

    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=REMINDER_KINDS)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="reminders",
    )
    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, null=True, blank=True
    )
    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.PROTECT, null=True, blank=True
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, null=True, blank=True
    )
    # What an event notification is about: the side, who acted, what they wrote.
    party = models.ForeignKey(
        Party, verbose_name=_("side"), on_delete=models.PROTECT, null=True, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    detail = models.TextField(_("detail"), blank=True)
    occurrence = models.DateField(_("falls due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReminderStatus, default=ReminderStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[value for value, _label in REMINDER_KINDS]),
                name="reminder_kind_valid",
            ),
            choices_check("status", ReminderStatus, "reminder_status_valid"),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], name="reminder_pending_idx", condition=Q(status="pending")
            ),
            models.Index(fields=["recipient", "-created_at"], name="reminder_recipient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient} ({self.occurrence})"

    def get_absolute_url(self) -> str:
        if self.commitment_id:
            return reverse("council:commitment-detail", args=[self.commitment_id])
        if self.session_id:
            return reverse("council:session-detail", args=[self.session_id])
        return reverse("council:dashboard")

    @property
    def is_event(self) -> bool:
        return self.kind in NotificationEvent.values


class ReminderMute(models.Model):
    """A user's choice to receive no reminders about one council."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_mutes"
    )
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("muted council")
        verbose_name_plural = _("muted councils")
        constraints = [
            models.UniqueConstraint(fields=["user", "council"], name="remindermute_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} mutes {self.council}"
