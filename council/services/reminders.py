"""Reminder log changes made by people: sending a failed reminder again, the rules.

Recording due reminders and delivering them stay in ``council.reminders`` (the scan and
the delivery lock the row and mark it in one transaction)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Reminder, ReminderRule, User
from ..policies import Policy


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
