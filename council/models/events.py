"""Events held around a council's work: forums, visits, exhibitions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..fields import validate_recorded_date
from .base import Sourced, choices_check
from .councils import Council
from .reference import Party, Sector
from .sessions import Session


class EventKind(models.TextChoices):
    CULTURAL = "cultural", _("Cultural and humanitarian event")
    OFFICIAL_VISIT = "visit", _("Official visit")
    FORUM = "forum", _("Forum or exhibition")
    OTHER = "other", _("Other")


class Event(Sourced):
    """Something done in the council's cooperation and reported to it: a cultural event,
    an official visit, a forum."""

    Kind = EventKind

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="events"
    )
    reported_at = models.ForeignKey(
        Session,
        verbose_name=_("reported at session"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"), null=True, blank=True, validators=[validate_recorded_date])
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    host_party = models.ForeignKey(
        Party, verbose_name=_("host party"), on_delete=models.PROTECT, null=True, blank=True
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["council", "-year", "-date", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [choices_check("kind", EventKind, "event_kind_valid")]

    def __str__(self) -> str:
        return self.title
