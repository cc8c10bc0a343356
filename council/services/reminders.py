"""Reminders: recording what is due, delivering it, sending a failed one again, the rules.

What is due and what a message says are computed in ``council.reminders``; every row
written about a reminder is written here. A delivery locks its row, sends and marks it
in one transaction, so two workers never send the same reminder.
"""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Reminder, ReminderRule, User
from ..policies import Policy
from ..reminders import (
    MAX_ATTEMPTS,
    build_message,
    due_reminders,
    is_permanent,
    may_send_now,
    pending_ids,
    still_relevant,
)

logger = logging.getLogger("council.reminders")


def reminder_retry(*, reminder: Reminder, by: User | None) -> Reminder:
    """Put a failed reminder back in the queue: the next scan sends it, attempts from 0."""
    if by is not None and not Policy(by).can_manage_reminders():
        raise PermissionDenied(_("Only an administrator may send reminders again."))
    with transaction.atomic():
        locked = Reminder.objects.select_for_update().get(pk=reminder.pk)
        if locked.status != Reminder.Status.FAILED:
            raise ValidationError(
                _("Only a failed reminder is sent again; this one is “%(status)s”.")
                % {"status": locked.get_status_display()}
            )
        locked.status = Reminder.Status.PENDING
        locked.attempts = 0
        locked.save(update_fields=["status", "attempts"])
    reminder.status, reminder.attempts = locked.status, locked.attempts
    return locked


def reminder_rule_save(*, rule: ReminderRule, by: User | None) -> ReminderRule:
    """Save a reminder rule as edited (when reminders of its kind go out)."""
    if by is not None and not Policy(by).can_manage_reminders("reminderrule"):
        raise PermissionDenied(_("Only an administrator may change reminder rules."))
    rule.full_clean()
    rule.save()
    return rule


def reminders_record_due(*, today: datetime.date | None = None) -> int:
    """Insert the due reminders that are not yet recorded; returns how many were new."""
    before = Reminder.objects.count()
    batch: list[Reminder] = []
    for due in due_reminders(today):
        batch.append(due.as_reminder())
        if len(batch) >= 1000:
            Reminder.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        Reminder.objects.bulk_create(batch, ignore_conflicts=True)
    return Reminder.objects.count() - before


def reminder_deliver(*, reminder_id: int) -> str:
    """Send one recorded reminder unless it was sent already; returns its status."""
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related(
                "recipient__agency__party",
                "commitment__session__council",
                "session__council",
                "council",
                "party",
                "actor",
            )
            .filter(pk=reminder_id, status=Reminder.Status.PENDING)
            .first()
        )
        if reminder is None:
            return "taken"  # sent, skipped, or another worker holds it right now
        if not may_send_now(reminder):
            return "held"  # outside working hours in the recipient's country: a later scan
        if not still_relevant(reminder) or not reminder.recipient.email:
            reminder.status = Reminder.Status.SKIPPED
            reminder.save(update_fields=["status"])
            return reminder.status
        reminder.attempts += 1
        try:
            message = build_message(reminder)
            message.message()  # a header that cannot be written fails here, not in the backend
        except Exception as error:  # the same message would be built again: no retry
            return _not_sent(reminder, error, permanent=True)
        try:
            message.send(using="default")
        except Exception as error:  # a mail failure: retried on later scans unless permanent
            return _not_sent(reminder, error, permanent=is_permanent(error))
        reminder.status = Reminder.Status.SENT
        reminder.sent_at = timezone.now()
        reminder.save(update_fields=["attempts", "status", "sent_at"])
        return reminder.status


def _not_sent(reminder: Reminder, error: Exception, *, permanent: bool) -> str:
    """Keep the row and why; it fails for good when retrying cannot help or has not."""
    logger.warning("reminder %s not sent (%s): %s", reminder.pk, type(error).__name__, error)
    reminder.last_error = f"{type(error).__name__}: {error}"[:500]
    if permanent or reminder.attempts >= MAX_ATTEMPTS:
        reminder.status = Reminder.Status.FAILED
    reminder.save(update_fields=["attempts", "last_error", "status"])
    return reminder.status


def reminders_scan(*, today: datetime.date | None = None, dispatch=None) -> dict[str, int]:
    """Record what is due, then deliver everything pending (new or left from before).

    ``dispatch`` sends one reminder id on its way: by default it delivers in-process;
    the Celery task passes one that enqueues a delivery task instead.
    """
    created = reminders_record_due(today=today)
    dispatch = dispatch or (lambda reminder_id: reminder_deliver(reminder_id=reminder_id))
    dispatched = 0
    for reminder_id in pending_ids():
        # A dispatcher answers False when it cannot go on (the broker is down): the rest
        # stay pending for the next scan instead of each waiting out its own timeout.
        if dispatch(reminder_id) is False:
            break
        dispatched += 1
    return {"created": created, "dispatched": dispatched}
