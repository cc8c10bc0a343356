"""Sessions and what hangs off them: the session, its participants and its agenda.

Every function checks the policy (``by=None`` is the system: demo loader, commands),
validates, and saves with who and why in the history. Nothing is deleted: a participant
or agenda item recorded by mistake is withdrawn and stays in the history.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ..models import AgendaItem, Participant, Person, Session, User
from ._records import (
    insert_once,
    require_council_records,
    save_with_history,
    was_withdrawn,
    withdraw,
)


def _may_not_change_session() -> str:
    return _("Only the council's secretariat may change this session.")


# Sessions -----------------------------------------------------------------------------


def _number_taken(session: Session) -> ValidationError:
    return ValidationError(
        {
            "number": _("Session %(number)s of this council is already recorded.")
            % {"number": session.number}
        }
    )


def session_create(*, session: Session, by: User | None, reason: str = "") -> Session:
    """Record a new ``session`` (unsaved, its council set).

    Two people recording the same number at once: the second gets a form error on the
    number, not a server error."""
    require_council_records(
        by, session.council_id, _("Only the council's secretariat may add sessions.")
    )
    if session.pk is not None:
        raise ValidationError(_("This session is already recorded."))
    if Session.objects.filter(council_id=session.council_id, number=session.number).exists():
        raise _number_taken(session)
    session.full_clean()
    insert_once(
        session,
        by=by,
        reason=reason,
        taken=lambda: Session.objects.filter(
            council_id=session.council_id, number=session.number
        ).exists(),
        refusal=_number_taken(session),
    )
    return session


def session_edit(*, session: Session, by: User | None, reason: str = "") -> Session:
    """Save the changes made to ``session``; they appear in its history, before → after."""
    stored = Session.objects.filter(pk=session.pk).values_list("council_id", "start_date").first()
    if stored is None:
        raise ValidationError(_("This session is not recorded."))
    before = stored[0]
    for council_id in {before, session.council_id}:
        require_council_records(by, council_id, _may_not_change_session())
    session.full_clean()
    try:
        with transaction.atomic():
            save_with_history(session, by=by, reason=reason)
            if stored != (session.council_id, session.start_date):
                # Rare: each commitment's copy of its session's council and date follows.
                for commitment in session.commitments.all():
                    fields = ["council", "adopted_on", "updated_at"]
                    save_with_history(commitment, by=by, reason=reason, update_fields=fields)
    except IntegrityError:
        if (
            Session.objects.filter(council_id=session.council_id, number=session.number)
            .exclude(pk=session.pk)
            .exists()
        ):
            raise _number_taken(session) from None
        raise
    return session


# Participants ---------------------------------------------------------------------------


def _fill_from_person(participant: Participant) -> None:
    person: Person = participant.person
    participant.party_id = person.party_id
    if not participant.agency_id:
        participant.agency_id = person.agency_id
    if not participant.position:
        participant.position = person.position


def participant_add(*, participant: Participant, by: User | None, reason: str = "") -> Participant:
    """Add ``participant`` (unsaved: session, person, role, position) to its session.

    The party and agency are the person's; an empty position is the person's current
    one; the participant comes last in the order."""
    session = participant.session
    require_council_records(by, session.council_id, _may_not_change_session())
    _fill_from_person(participant)
    if not participant.order:
        last = session.participants.aggregate(last=Max("order"))["last"]
        participant.order = (last or 0) + 1

    def taken() -> bool:
        return Participant.objects.filter(
            session=session, person_id=participant.person_id, withdrawn_at__isnull=True
        ).exists()

    refusal = ValidationError({"person": _("This person is already a participant.")})
    if taken():
        raise refusal
    participant.full_clean()
    insert_once(participant, by=by, reason=reason, taken=taken, refusal=refusal)
    return participant


def participant_edit(*, participant: Participant, by: User | None, reason: str = "") -> Participant:
    """Save changes to a participant (role, position, order…), with history."""
    require_council_records(by, participant.session.council_id, _may_not_change_session())
    if was_withdrawn(participant):
        raise ValidationError(_("A withdrawn participant is not changed."))
    _fill_from_person(participant)
    participant.full_clean()
    try:
        with transaction.atomic():
            save_with_history(participant, by=by, reason=reason)
    except IntegrityError:
        raise ValidationError({"person": _("This person is already a participant.")}) from None
    return participant


def participant_withdraw(*, participant: Participant, by: User | None, reason: str) -> None:
    """Withdraw a participant recorded by mistake: kept, marked, shown in the history."""
    require_council_records(by, participant.session.council_id, _may_not_change_session())
    withdraw(participant, by=by, reason=reason)


# Agenda --------------------------------------------------------------------------------


def agenda_next_order(session: Session) -> int:
    """The order number a new agenda item of ``session`` takes: after every other item."""
    last = AgendaItem.objects.filter(session=session).aggregate(last=Max("order"))["last"]
    return (last or 0) + 1


def agenda_item_create(
    *,
    item: AgendaItem,
    by: User | None,
    speakers: Iterable[Person] | None = None,
    reason: str = "",
) -> AgendaItem:
    """Add ``item`` (unsaved, its session set) to the agenda; it comes last unless it
    already has an order number."""
    require_council_records(by, item.session.council_id, _may_not_change_session())
    if item.pk is not None:
        raise ValidationError(_("This agenda item is already recorded."))
    with transaction.atomic():
        # Lock the session so two items added at once do not take the same number.
        Session.objects.select_for_update().filter(pk=item.session_id).first()
        if not item.order:
            item.order = agenda_next_order(item.session)
        item.full_clean()
        save_with_history(item, by=by, reason=reason)
        if speakers is not None:
            item.speakers.set(speakers)
    return item


def agenda_item_edit(
    *,
    item: AgendaItem,
    by: User | None,
    speakers: Iterable[Person] | None = None,
    reason: str = "",
) -> AgendaItem:
    """Save changes to an agenda item, with history."""
    require_council_records(by, item.session.council_id, _may_not_change_session())
    if was_withdrawn(item):
        raise ValidationError(_("A withdrawn agenda item is not changed."))
    item.full_clean()
    with transaction.atomic():
        save_with_history(item, by=by, reason=reason)
        if speakers is not None:
            item.speakers.set(speakers)
    return item


def agenda_item_move(*, item: AgendaItem, direction: str, by: User | None) -> None:
    """Move an item one place up or down; the agenda is renumbered 1..n as it goes."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Say whether to move the item up or down."))
    session = item.session
    require_council_records(by, session.council_id, _may_not_change_session())
    with transaction.atomic():
        items = list(
            AgendaItem.objects.select_for_update()
            .filter(session_id=session.pk, withdrawn_at__isnull=True)
            .order_by("order", "pk")
        )
        index = next((i for i, c in enumerate(items) if c.pk == item.pk), None)
        if index is None:
            raise ValidationError(_("A withdrawn agenda item is not moved."))
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(items):
            return
        items[index], items[other] = items[other], items[index]
        reason = (
            _("“%(title)s” moved up the agenda")
            if direction == "up"
            else _("“%(title)s” moved down the agenda")
        ) % {"title": item.title}
        # Renumber 1..n so gaps and ties from older data disappear.
        for order, candidate in enumerate(items, start=1):
            if candidate.order != order:
                candidate.order = order
                save_with_history(candidate, by=by, reason=reason, update_fields=["order"])


def agenda_item_withdraw(*, item: AgendaItem, by: User | None, reason: str) -> None:
    """Withdraw an agenda item recorded by mistake; it stays in the history."""
    require_council_records(by, item.session.council_id, _may_not_change_session())
    withdraw(item, by=by, reason=reason)
