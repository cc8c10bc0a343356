"""Councils and commissions and their co-chairs."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..fields import validate_recorded_date
from .base import Withdrawable, choices_check
from .reference import Agency, Party, Person


class CouncilKind(models.TextChoices):
    INTERGOVERNMENTAL_COUNCIL = "igc", _("Intergovernmental council")
    COMMISSION = "commission", _("Intergovernmental commission")
    SUBCOMMISSION = "subcommission", _("Subcommission")
    WORKING_GROUP = "working_group", _("Working group")


class Council(models.Model):
    """An intergovernmental council, commission, or one of their sub-bodies."""

    Kind = CouncilKind

    SUB_BODY_KINDS = (Kind.SUBCOMMISSION, Kind.WORKING_GROUP)

    name = models.CharField(_("name"), max_length=300, unique=True)
    short_name = models.CharField(_("short name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    parties = models.ManyToManyField(Party, verbose_name=_("parties"), related_name="councils")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent council"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_bodies",
    )
    secretariat_agencies = models.ManyToManyField(
        Agency,
        verbose_name=_("secretariat agencies"),
        related_name="secretariat_of",
        blank=True,
    )
    secretariat_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secretariat staff"),
        related_name="secretariat_councils",
        blank=True,
        help_text=_("Users who record this council's sessions, commitments and protocols."),
    )
    established_on = models.DateField(
        _("established on"), null=True, blank=True, validators=[validate_recorded_date]
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Opt-in: the council's published sessions are shown to anyone at /public/.
    is_public = models.BooleanField(
        _("has a public page"),
        default=False,
        help_text=_(
            "Anyone may read what its published sessions adopted and how it is being "
            "carried out; progress notes, files and people are never shown there."
        ),
    )
    stale_after_days = models.PositiveSmallIntegerField(
        _("stale after (days)"),
        null=True,
        blank=True,
        help_text=_(
            "A side with no progress report for this many days is marked stale. Empty: "
            "stale when it has not reported since the last session held."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        constraints = [
            choices_check("kind", CouncilKind, "council_kind_valid"),
            # Subcommissions and working groups always report to a parent body.
            models.CheckConstraint(
                condition=Q(kind__in=["igc", "commission"])
                | Q(kind__in=["subcommission", "working_group"], parent__isnull=False),
                name="council_sub_body_has_parent",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="council_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("council:council-detail", args=[self.pk])

    def clean(self) -> None:
        if self.kind in self.SUB_BODY_KINDS and not self.parent_id:
            raise ValidationError(
                {"parent": _("A subcommission or working group needs a parent council.")}
            )


class CoChair(Withdrawable):
    """The co-chair of a council for one party over a period (heads of government change).

    A co-chair who changed gets an end date; one recorded by mistake is withdrawn."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="co_chairs"
    )
    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.PROTECT)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="co_chairships"
    )
    position = models.CharField(_("position as co-chair"), max_length=300, blank=True)
    start_date = models.DateField(
        _("from"), null=True, blank=True, validators=[validate_recorded_date]
    )
    end_date = models.DateField(
        _("until"), null=True, blank=True, validators=[validate_recorded_date]
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["council", "party__order", "-start_date"]
        verbose_name = _("co-chair")
        verbose_name_plural = _("co-chairs")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "party"],
                condition=Q(end_date__isnull=True, withdrawn_at__isnull=True),
                name="cochair_one_current_per_party",
                violation_error_message=_("This party already has a current co-chair."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="cochair_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.council} ({self.party.code})"

    def clean(self) -> None:
        if self.person_id and self.party_id and self.person.party_id != self.party_id:
            raise ValidationError({"person": _("The co-chair must be an official of this party.")})
