"""Reference data: parties, agencies, people, sectors."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import Sourced, choices_check


class Party(models.Model):
    """A state side of a council (Republic of Kazakhstan, Kyrgyz Republic…)."""

    code = models.CharField(
        _("ISO code"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2, e.g. KZ.")
    )
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2}$"), name="party_code_iso_alpha2"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class AgencyKind(models.TextChoices):
    GOVERNMENT = "government", _("Government / cabinet office")
    MINISTRY = "ministry", _("Ministry")
    COMMITTEE = "committee", _("Committee or agency")
    COMPANY = "company", _("State company")
    OTHER = "other", _("Other body")


class Agency(models.Model):
    """A ministry, committee or other body of one party; may sit under a parent agency."""

    Kind = AgencyKind

    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="agencies"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.MINISTRY)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Who added or changed it and why: the secretariat adds agencies from a session's
    # forms (``services.agency_add_quick``), an administrator may merge duplicates later.
    history = HistoricalRecords()

    class Meta:
        ordering = ["party__order", "name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(fields=["party", "name"], name="agency_unique_name_per_party"),
            choices_check("kind", AgencyKind, "agency_kind_valid"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="agency_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.label_of(self.short_name, self.name, self.party.code)

    @staticmethod
    def label_of(short_name: str, name: str, party_code: str) -> str:
        """How lists name an agency: "MTI (KZ)"; for rows read as values."""
        return f"{short_name or name} ({party_code})"

    def clean(self) -> None:
        if self.parent_id and self.parent.party_id != self.party_id:
            raise ValidationError({"parent": _("A parent agency must belong to the same party.")})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("An agency cannot sit under itself.")})
            ancestor = ancestor.parent


class Person(Sourced):
    """An official who takes part in sessions; the current position is kept here, the
    position held at a session is kept on the participation."""

    name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("current position"), max_length=300, blank=True)
    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="people"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.agency_id and self.agency.party_id != self.party_id:
            raise ValidationError({"agency": _("The agency must belong to the person's party.")})


class Sector(models.Model):
    """An area of cooperation: trade, energy, water, transport and logistics…"""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name
