"""Signed protocols: signatories and the signed files."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..fields import validate_recorded_date
from .base import Sourced, Withdrawable, choices_check
from .reference import Party, Person
from .sessions import Session


class ProtocolStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Agreed, awaiting signature")
    SIGNED = "signed", _("Signed")


class Protocol(Sourced):
    """The signed document of a session's decisions."""

    Status = ProtocolStatus

    session = models.OneToOneField(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="protocol"
    )
    number = models.CharField(_("number"), max_length=50, blank=True)
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    signed_on = models.DateField(
        _("signed on"), null=True, blank=True, validators=[validate_recorded_date]
    )
    signed_in = models.CharField(_("place of signing"), max_length=100, blank=True)
    languages = models.CharField(
        _("languages"),
        max_length=50,
        blank=True,
        help_text=_("Language versions of equal force, comma-separated codes, e.g. ru,kk,ky."),
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-session__start_date"]
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")
        constraints = [
            choices_check("status", ProtocolStatus, "protocol_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="signed") | Q(signed_on__isnull=False),
                name="protocol_signed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("council:protocol-detail", args=[self.session_id])

    @property
    def language_names(self) -> list[str]:
        """The language versions by name, in the reader's language."""
        names = dict(settings.LANGUAGES)
        return [str(names.get(code, code)) for code in self.language_list]

    @property
    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]

    def clean(self) -> None:
        if self.status == self.Status.SIGNED and not self.signed_on:
            raise ValidationError({"signed_on": _("A signed protocol needs its date of signing.")})


class Signatory(Withdrawable):
    """A person who signed a protocol, with the position held when signing."""

    protocol = models.ForeignKey(
        Protocol, verbose_name=_("protocol"), on_delete=models.PROTECT, related_name="signatories"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT)
    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.PROTECT)
    position = models.CharField(_("position at signing"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["protocol", "order", "pk"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        constraints = [
            models.UniqueConstraint(
                fields=["protocol", "person"],
                condition=Q(withdrawn_at__isnull=True),
                name="signatory_once",
                violation_error_message=_("This person is already a signatory."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}, {self.position}"


def protocol_file_path(instance: ProtocolFile, filename: str) -> str:
    return f"protocols/{instance.protocol_id}/{filename}"


class ProtocolFileKind(models.TextChoices):
    SIGNED = "signed", _("Signed copy")
    TEXT = "text", _("Text")
    ANNEX = "annex", _("Annex")


class ProtocolFile(Withdrawable):
    """An uploaded file of a protocol: the signed scan or the text, per language."""

    Kind = ProtocolFileKind

    protocol = models.ForeignKey(
        Protocol, verbose_name=_("protocol"), on_delete=models.PROTECT, related_name="files"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.SIGNED)
    language = models.CharField(_("language"), max_length=10)
    file = models.FileField(_("file"), upload_to=protocol_file_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    # Uploads and withdrawals appear on the protocol's page; a file is never replaced.
    history = HistoricalRecords()

    class Meta:
        ordering = ["protocol", "kind", "language"]
        verbose_name = _("protocol file")
        verbose_name_plural = _("protocol files")
        constraints = [choices_check("kind", ProtocolFileKind, "protocolfile_kind_valid")]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.language})"
