"""Sessions, their participants and agenda."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..fields import validate_recorded_date
from ..querysets import SessionQuerySet
from .base import Sourced, Withdrawable, choices_check
from .councils import Council
from .reference import Agency, Party, Person, Sector


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class SessionKind(models.TextChoices):
    REGULAR = "regular", _("Regular")
    EXTRAORDINARY = "extraordinary", _("Extraordinary")


class Session(Sourced):
    """One meeting of a council, numbered in order ("the 13th session")."""

    Status = SessionStatus
    Kind = SessionKind

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="sessions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.REGULAR)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    start_date = models.DateField(_("start date"), validators=[validate_recorded_date])
    end_date = models.DateField(
        _("end date"), null=True, blank=True, validators=[validate_recorded_date]
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.ForeignKey(
        Party,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Where the session meets; empty for a third country or online."),
    )
    host_party = models.ForeignKey(
        Party,
        verbose_name=_("host party"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_sessions",
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    summary = models.TextField(_("summary of outcomes"), blank=True)
    is_published = models.BooleanField(
        _("published on the council's public page"),
        default=False,
        help_text=_("Only when the council has a public page."),
    )

    objects = SessionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["council", "-number"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "number"], name="session_number_per_council"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="session_number_positive"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="session_dates_ordered",
            ),
            choices_check("status", SessionStatus, "session_status_valid"),
            choices_check("kind", SessionKind, "session_kind_valid"),
        ]
        indexes = [
            models.Index(fields=["status", "start_date"], name="session_status_date_idx"),
        ]

    def __str__(self) -> str:
        return _("%(council)s, session %(number)s") % {
            "council": self.council.short_name,
            "number": self.number,
        }

    def get_absolute_url(self) -> str:
        return reverse("council:session-detail", args=[self.pk])

    def clean(self) -> None:
        if (
            self.host_party_id
            and self.council_id
            and not self.council.parties.filter(pk=self.host_party_id).exists()
        ):
            raise ValidationError({"host_party": _("The host must be a party of the council.")})


class ParticipantRole(models.TextChoices):
    CO_CHAIR = "co_chair", _("Co-chair")
    HEAD_OF_DELEGATION = "head", _("Head of delegation")
    MEMBER = "member", _("Delegation member")
    EXPERT = "expert", _("Expert")
    SECRETARIAT = "secretariat", _("Secretariat")
    OBSERVER = "observer", _("Observer")


class Participant(Withdrawable):
    """A person at a session, with the role and position held at that session; one
    recorded by mistake is withdrawn, never deleted."""

    Role = ParticipantRole

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="participants"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="participations"
    )
    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.PROTECT)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, null=True, blank=True
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.MEMBER)
    position = models.CharField(_("position at the session"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "party__order", "order", "person__name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            # A participant withdrawn by mistake may be recorded again.
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=Q(withdrawn_at__isnull=True),
                name="participant_once_per_session",
                violation_error_message=_("This person is already a participant."),
            ),
            choices_check("role", ParticipantRole, "participant_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.position}"


class AgendaItem(Withdrawable, Sourced):
    """An item on a session's agenda, usually one area of cooperation."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="agenda_items"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=500)
    # The language ``title`` is recorded in; other languages are its versions.
    language = models.CharField(
        _("recorded in"), max_length=10, choices=settings.LANGUAGES, default="ru"
    )
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    speakers = models.ManyToManyField(
        Person, verbose_name=_("speakers"), blank=True, related_name="agenda_items"
    )
    summary = models.TextField(_("summary of discussion"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "order", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        indexes = [models.Index(fields=["session", "order"], name="agenda_session_order_idx")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"
