"""Councils and what is recorded at council level: co-chairs and events.

A co-chair who changed gets an end date; one recorded by mistake is withdrawn. Events
are corrected by editing, with history. Nothing is deleted.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Agency, CoChair, Council, Event, Party, User
from ..policies import Policy
from ._records import (
    require_council_records,
    save_checked,
    save_with_history,
    was_withdrawn,
    withdraw,
)


def _may_not() -> str:
    return _("Only the council's secretariat may change its records.")


def council_save(
    *,
    council: Council,
    by: User | None,
    reason: str = "",
    parties: Iterable[Party] | None = None,
    secretariat_agencies: Iterable[Agency] | None = None,
    secretariat_staff: Iterable[User] | None = None,
) -> Council:
    """Create a council or change it (name, kind, parent, parties, secretariat): reference
    data, kept by administrators. A many-to-many left ``None`` is not changed."""
    if by is not None and not Policy(by).can_edit_reference_data():
        raise PermissionDenied(_("Only an administrator may change councils."))
    with transaction.atomic():
        save_checked(
            council,
            by=by,
            reason=reason,
            duplicate=ValidationError({"name": _("A council with this name is recorded.")}),
        )
        for name, values in (
            ("parties", parties),
            ("secretariat_agencies", secretariat_agencies),
            ("secretariat_staff", secretariat_staff),
        ):
            if values is not None:
                getattr(council, name).set(values)
    return council


def _check_cochair(cochair: CoChair, by: User | None) -> None:
    require_council_records(by, cochair.council_id, _may_not())
    if cochair.pk is not None:
        before = CoChair.objects.filter(pk=cochair.pk).values_list("council_id", flat=True)
        require_council_records(by, before.first(), _may_not())


def cochair_save(*, cochair: CoChair, by: User | None, reason: str = "") -> CoChair:
    """Record a co-chair, or change one (an end date when the co-chair changes)."""
    _check_cochair(cochair, by)
    if was_withdrawn(cochair):
        raise ValidationError(_("A withdrawn co-chair is not changed."))
    save_checked(
        cochair,
        by=by,
        reason=reason,
        duplicate=ValidationError(
            {
                "party": _(
                    "This party already has a current co-chair: give the previous one an "
                    "end date first."
                )
            }
        ),
    )
    return cochair


def cochair_withdraw(*, cochair: CoChair, by: User | None, reason: str) -> None:
    """Withdraw a co-chair recorded by mistake; kept, marked, in the history."""
    _check_cochair(cochair, by)
    withdraw(cochair, by=by, reason=reason)


def event_save(*, event: Event, by: User | None, reason: str = "") -> Event:
    """Record an event reported to a council, or correct one (with history)."""
    require_council_records(by, event.council_id, _may_not())
    if event.pk is not None:
        before = Event.objects.filter(pk=event.pk).values_list("council_id", flat=True)
        require_council_records(by, before.first(), _may_not())
    if event.reported_at_id and event.reported_at.council_id != event.council_id:
        raise ValidationError(
            {"reported_at": _("The event is reported at a session of its own council.")}
        )
    event.full_clean()
    save_with_history(event, by=by, reason=reason)
    return event
