"""What many records share: a source, a withdrawal instead of a deletion, choice checks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def choices_check(field: str, choices: type[models.Choices], name: str) -> models.CheckConstraint:
    """A database check that ``field`` holds one of ``choices`` (forms are not the only writers).

    Choices classes live at module level so that ``Meta`` can name them; each model
    re-exports its own (``Commitment.Status``)."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class Sourced(models.Model):
    """Where a record comes from, so demo and imported data say what is fact and what is not."""

    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("Document or report stating this.")
    )
    is_illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Details not stated by any source (dates, clause numbers, agencies…)."),
    )
    illustrative_note = models.CharField(_("what is illustrative"), max_length=300, blank=True)

    class Meta:
        abstract = True


class Withdrawable(models.Model):
    """A record that is never deleted from the staff app: it is withdrawn, with who, when
    and why, and stays readable (struck through) where it was."""

    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
