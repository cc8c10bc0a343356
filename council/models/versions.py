"""Authentic versions of recorded texts, one per language.

A council's protocol is signed in several languages, "all texts being equally
authentic". A commitment's ``title`` and ``text`` (an agenda item's ``title``) hold the
text as recorded, in the language named by the record's ``language``; the versions here
hold the same clause in the other languages: Kazakh, Kyrgyz or Russian, each authentic,
or a working translation (English) marked as such. One live version per record and
language; a version recorded by mistake is withdrawn (never deleted, and then may be
recorded anew), and every change is in its history.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import Withdrawable
from .commitments import Commitment
from .sessions import AgendaItem


class LanguageVersion(Withdrawable):
    """What a commitment's and an agenda item's versions share."""

    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=500)
    is_translation = models.BooleanField(
        _("working translation"),
        default=True,
        help_text=_("Unticked when this text is one of the signed, authentic texts."),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"[{self.language}] {self.title}"

    def clean(self) -> None:
        record = self.record
        if record is not None and self.language and self.language == record.language:
            raise ValidationError(
                {"language": _("The record itself is in this language: edit the record instead.")}
            )

    @property
    def record(self):  # pragma: no cover - overridden
        raise NotImplementedError


class CommitmentVersion(LanguageVersion):
    """A commitment's title and text in one more language."""

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    title = models.CharField(_("short title"), max_length=300)
    text = models.TextField(_("text as adopted"))

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["commitment", "language"]
        verbose_name = _("commitment version")
        verbose_name_plural = _("commitment versions")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "language"],
                condition=Q(withdrawn_at__isnull=True),
                name="commitmentversion_one_per_language",
            ),
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="commitmentversion_language_valid",
            ),
        ]

    @property
    def record(self) -> Commitment | None:
        return self.commitment if self.commitment_id else None


class AgendaItemVersion(LanguageVersion):
    """An agenda item's title in one more language."""

    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        related_name="versions",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["agenda_item", "language"]
        verbose_name = _("agenda item version")
        verbose_name_plural = _("agenda item versions")
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "language"],
                condition=Q(withdrawn_at__isnull=True),
                name="agendaitemversion_one_per_language",
            ),
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="agendaitemversion_language_valid",
            ),
        ]

    @property
    def record(self) -> AgendaItem | None:
        return self.agenda_item if self.agenda_item_id else None
