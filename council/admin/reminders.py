"""Reminder rules, the reminder log and mutes."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import services
from ..models import (
    Reminder,
    ReminderMute,
    ReminderRule,
)
from ..policies import policy_for
from .base import DateHierarchyGuard, NoDeleteMixin


@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "days", "repeat_every_days", "is_active")
    list_editable = ("days", "repeat_every_days", "is_active")
    list_display_links = ("kind",)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # one rule per kind; switch it off instead

    def save_model(self, request, obj, form, change):
        services.reminder_rule_save(rule=obj, by=request.user)


@admin.register(Reminder)
class ReminderAdmin(DateHierarchyGuard, NoDeleteMixin, admin.ModelAdmin):
    """The reminder log: what was due, to whom, and whether it went out."""

    list_display = (
        "kind",
        "recipient",
        "target",
        "occurrence",
        "status",
        "attempts",
        "sent_at",
        "read_at",
    )
    list_filter = ("kind", "status", "council")
    list_select_related = ("recipient", "commitment", "session__council", "council")
    search_fields = ("key", "recipient__username", "recipient__email", "commitment__title")
    date_hierarchy = "occurrence"
    readonly_fields = [f.name for f in Reminder._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a log: its rows change only by delivery or the retry action

    def has_retry_permission(self, request) -> bool:
        return policy_for(request).can_manage_reminders()

    # Not the "about" of an approximate figure (ObservationQualifier): what it concerns.
    @admin.display(description=pgettext_lazy("reminder: what it concerns", "about"))
    def target(self, obj: Reminder) -> str:
        return str(obj.commitment or obj.session or _("digest"))

    @admin.action(description=_("Send failed reminders again"), permissions=["retry"])
    def retry(self, request, queryset):
        # Back to pending: the next scan sends them.
        count = 0
        for reminder in queryset.filter(status=Reminder.Status.FAILED):
            try:
                services.reminder_retry(reminder=reminder, by=request.user)
            except ValidationError:
                continue  # sent or retried by someone else meanwhile
            count += 1
        self.message_user(
            request, _("%(n)d reminders will be sent by the next scan.") % {"n": count}
        )


@admin.register(ReminderMute)
class ReminderMuteAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("user", "council", "created_at")
    list_select_related = ("user", "council")
    autocomplete_fields = ("council",)
    raw_id_fields = ("user",)

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a mute is added or removed, not moved to another person or council

    def save_model(self, request, obj, form, change):
        mute = services.reminder_mute(user=obj.user, council=obj.council, by=request.user)
        obj.pk, obj.created_at = mute.pk, mute.created_at  # admin logs and links to it
