"""Versions of recorded texts in other languages: a commitment's title and text, an
agenda item's title (see ``council.models.versions``).

Whoever may edit the record may record, correct and withdraw its versions
(``Policy.can_edit_commitment``: the council's secretariat, or an administrator);
``by=None`` is the system (demo loader, commands). Every change is in the version's
history with who and why; a version is withdrawn, never deleted.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ..models import AgendaItem, AgendaItemVersion, Commitment, CommitmentVersion, User
from ..policies import Policy
from ._records import save_checked, was_withdrawn, withdraw


def _may_edit(by: User | None, commitment: Commitment) -> None:
    if by is not None and not Policy(by).can_edit_commitment(commitment):
        raise PermissionDenied(_("Only the council's secretariat may record its texts."))


def _may_edit_agenda(by: User | None, item: AgendaItem) -> None:
    if by is None:
        return
    council_id = (
        AgendaItem.objects.filter(pk=item.pk).values_list("session__council_id", flat=True).first()
    )
    if not Policy(by).can_edit_council_records(council_id):
        raise PermissionDenied(_("Only the council's secretariat may record its texts."))


def _language_taken() -> ValidationError:
    return ValidationError(
        {"language": _("A text in this language is already recorded: edit that one.")}
    )


def _check_open(version: CommitmentVersion | AgendaItemVersion, **record) -> None:
    if version.pk is not None and was_withdrawn(version):
        raise ValidationError(_("A withdrawn text is not changed."))
    others = type(version).objects.filter(
        **record, language=version.language, withdrawn_at__isnull=True
    )
    if others.exclude(pk=version.pk).exists():
        raise _language_taken()


def commitment_version_save(
    *, version: CommitmentVersion, by: User | None, reason: str = ""
) -> CommitmentVersion:
    """Record or correct a commitment's text in one more language (``version`` unsaved
    or loaded, its commitment, language, title and text set)."""
    commitment = version.commitment
    _may_edit(by, commitment)
    _check_open(version, commitment_id=version.commitment_id)
    if version.pk is not None:
        stored = CommitmentVersion.objects.filter(pk=version.pk).values_list(
            "commitment_id", flat=True
        )
        if stored.first() != version.commitment_id:
            raise ValidationError(_("A text stays with the record it was made for."))
    save_checked(version, by=by, reason=reason, duplicate=_language_taken())
    return version


def commitment_version_withdraw(*, version: CommitmentVersion, by: User | None, reason: str):
    """Withdraw a text recorded by mistake: kept, marked, shown in its history."""
    _may_edit(by, version.commitment)
    withdraw(version, by=by, reason=reason)


def agenda_item_version_save(
    *, version: AgendaItemVersion, by: User | None, reason: str = ""
) -> AgendaItemVersion:
    """Record or correct an agenda item's title in one more language."""
    item = version.agenda_item
    _may_edit_agenda(by, item)
    _check_open(version, agenda_item_id=version.agenda_item_id)
    if version.pk is not None:
        stored = AgendaItemVersion.objects.filter(pk=version.pk).values_list(
            "agenda_item_id", flat=True
        )
        if stored.first() != version.agenda_item_id:
            raise ValidationError(_("A text stays with the record it was made for."))
    save_checked(version, by=by, reason=reason, duplicate=_language_taken())
    return version


def agenda_item_version_withdraw(*, version: AgendaItemVersion, by: User | None, reason: str):
    """Withdraw an agenda item's title in one language, recorded by mistake."""
    _may_edit_agenda(by, version.agenda_item)
    withdraw(version, by=by, reason=reason)
