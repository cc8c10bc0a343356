"""Event notifications: something happened to a commitment, the people concerned hear of
it in the app and by e-mail, once.

``notify`` records one ``Reminder`` per recipient, keyed by the event, the object it is
about and the recipient (``event:<kind>:<object>:u<recipient>``), so a retried request or
a second call records nothing new. Delivery is the reminders' own (``reminder_deliver``),
started after the transaction commits; a row the broker could not take stays pending
and the next reminder scan sends it. The actor is never told of their own act, and a
council's mute holds for its events as for its reminders.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from django.db import models, transaction

from .. import roles
from ..models import (
    Agency,
    Commitment,
    NotificationEvent,
    Party,
    Reminder,
    ReminderMute,
    Responsibility,
    User,
)
from ..querysets import local_today

logger = logging.getLogger("council.reminders")
Event = NotificationEvent
DELIVERY_TASK = "council.tasks.reminder_deliver"


def notify(
    event: str,
    *,
    commitment: Commitment,
    about: models.Model | str,
    actor: User | None,
    party: Party | int | None = None,
    agency: Agency | None = None,
    detail: str = "",
) -> int:
    """Tell the people concerned that ``event`` happened to ``commitment``; returns how
    many notifications were new.

    ``about`` is the object the event is about (the report, the flag, the request), or a
    text naming it: with the recipient it makes the key, so the same event about the same
    object is notified once. ``party`` is the side concerned (a party or its id); ``agency``
    the agency a new
    commitment is assigned to. Who hears of it: ``recipient_ids``.
    """
    event = Event(event)
    party_id = party.pk if isinstance(party, Party) else party
    ref = about if isinstance(about, str) else f"{about._meta.model_name}{about.pk}"
    users = recipient_ids(event, commitment, party=party_id, agency=agency)
    users.discard(getattr(actor, "pk", None))
    muted = set(
        ReminderMute.objects.filter(user__in=users, council_id=commitment.council_id).values_list(
            "user_id", flat=True
        )
    )
    users -= muted
    if not users:
        return 0
    prefix = f"event:{event.value.removeprefix('event_')}:{ref}"
    rows = {
        f"{prefix}:u{user_id}": Reminder(
            key=f"{prefix}:u{user_id}",
            kind=event,
            recipient_id=user_id,
            council_id=commitment.council_id,
            commitment=commitment,
            party_id=party_id,
            actor=actor if getattr(actor, "pk", None) else None,
            detail=detail.strip(),
            occurrence=local_today(),
        )
        for user_id in sorted(users)
    }
    known = set(Reminder.objects.filter(key__in=list(rows)).values_list("key", flat=True))
    new = [row for key, row in rows.items() if key not in known]
    if not new:
        return 0
    Reminder.objects.bulk_create(new, ignore_conflicts=True)
    ids = list(
        Reminder.objects.filter(
            key__in=[row.key for row in new], status=Reminder.Status.PENDING
        ).values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: deliver_after_commit(ids))
    return len(ids)


def deliver_after_commit(ids: Iterable[int]) -> threading.Thread | None:
    """Hand the new notifications to the delivery task (in process where Celery runs
    tasks eagerly: no broker, the demo). The hand-over to the broker runs beside the
    request, so a page never waits on Redis; the broker down, it fails and the rows stay
    pending for the next reminder scan."""
    from celery import current_app

    ids = list(ids)
    if current_app.conf.task_always_eager:
        from .reminders import reminder_deliver

        for reminder_id in ids:
            reminder_deliver(reminder_id=reminder_id)
        return
    handing = threading.Thread(target=_hand_over, args=(ids,), daemon=True)
    handing.start()
    return handing


def _hand_over(ids: list[int]) -> None:
    from celery import current_app

    for reminder_id in ids:
        try:
            current_app.send_task(DELIVERY_TASK, args=(reminder_id,), retry=False)
        except Exception:  # the row stays pending: the next scan delivers it
            logger.warning("could not hand notification %s to delivery", reminder_id)
            return


# Who hears of what ------------------------------------------------------------------------


def recipient_ids(
    event: str,
    commitment: Commitment,
    *,
    party: int | None = None,
    agency: Agency | None = None,
) -> set[int]:
    """The active users an event concerns (before the actor and mutes are taken out).

    - a new commitment: the focal points of the agency it is assigned to;
    - completion reported, extension requested: the managers, and the council's
      secretariat for an extension;
    - accepted, returned, extension decided, remind now: the side's focal points (every
      side when no party is named);
    - at risk: the side's focal points and the council's secretariat.
    """
    if event == Event.ASSIGNED:
        return focal_point_ids([agency.pk] if agency else [])
    if event == Event.COMPLETION_REPORTED:
        return manager_ids()
    if event == Event.EXTENSION_REQUESTED:
        return secretariat_ids(commitment) | manager_ids()
    if event == Event.AT_RISK:
        return side_focal_point_ids(commitment, party) | secretariat_ids(commitment)
    return side_focal_point_ids(commitment, party)


def manager_ids() -> set[int]:
    """The managers (the role, not every administrator: an administrator who reviews
    completions is given the managers' role)."""
    return set(
        User.objects.filter(is_active=True, groups__name=roles.MANAGER).values_list("pk", flat=True)
    )


def secretariat_ids(commitment: Commitment) -> set[int]:
    return set(
        User.objects.filter(is_active=True, secretariat_councils=commitment.council_id).values_list(
            "pk", flat=True
        )
    )


def side_focal_point_ids(commitment: Commitment, party: Party | int | None) -> set[int]:
    """Focal points of the side's responsible agencies (every side's when ``party`` is
    None), and of the bodies above them (``querysets.agency_subtree``'s rule upwards)."""
    agencies = Responsibility.objects.filter(commitment=commitment)
    if party is not None:
        agencies = agencies.filter(party_id=getattr(party, "pk", party))
    return focal_point_ids(agencies.values_list("agency_id", flat=True))


def focal_point_ids(agency_ids: Iterable[int]) -> set[int]:
    found = set(agency_ids)
    frontier = set(found)
    while frontier:  # up the tree, one query per level
        frontier = (
            set(
                Agency.objects.filter(pk__in=frontier, parent__isnull=False).values_list(
                    "parent_id", flat=True
                )
            )
            - found
        )
        found |= frontier
    if not found:
        return set()
    return set(
        User.objects.filter(
            is_active=True, groups__name=roles.FOCAL_POINT, agency_id__in=found
        ).values_list("pk", flat=True)
    )
