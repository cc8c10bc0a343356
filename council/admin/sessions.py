"""Sessions, participants and agenda items."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..models import (
    AgendaItem,
    Commitment,
    Participant,
    Session,
)
from .base import (
    SOURCED_FIELDSET,
    DateHierarchyGuard,
    NoDeleteInline,
    ServiceAdmin,
    WithdrawableAdmin,
)


class ParticipantInline(NoDeleteInline, TranslationTabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ("person", "party", "agency")
    fields = ("order", "person", "party", "agency", "role", "position")
    show_change_link = True  # one recorded by mistake is withdrawn on its own page

    def get_queryset(self, request):
        return super().get_queryset(request).filter(withdrawn_at__isnull=True)


class AgendaItemInline(NoDeleteInline, admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ("order", "title", "sector")
    autocomplete_fields = ("sector",)
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).filter(withdrawn_at__isnull=True)


class SessionCommitmentInline(NoDeleteInline, admin.TabularInline):
    """A list of the session's commitments: each is recorded and changed on its own page,
    through the commitment services."""

    model = Commitment
    fk_name = "session"
    extra = 0
    fields = ("clause", "title", "sector", "deadline_kind", "deadline", "status")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Session)
class SessionAdmin(DateHierarchyGuard, ServiceAdmin, SimpleHistoryAdmin):
    list_display = (
        "__str__",
        "council",
        "number",
        "start_date",
        "city",
        "status",
        "is_illustrative",
    )
    list_filter = ("status", "council", "host_party", "is_illustrative")
    list_select_related = ("council", "host_party")
    search_fields = ("council__name", "council__short_name", "city", "summary")
    autocomplete_fields = ("council", "country", "host_party")
    date_hierarchy = "start_date"
    inlines = [ParticipantInline, AgendaItemInline, SessionCommitmentInline]
    fieldsets = (
        (None, {"fields": ("council", "number", "kind", "status")}),
        (
            _("When and where"),
            {"fields": ("start_date", "end_date", "city", "country", "host_party", "venue")},
        ),
        (_("Outcome"), {"fields": ("summary",)}),
        SOURCED_FIELDSET,
    )

    def save_record(self, request, obj, form, change):
        if change:
            services.session_edit(session=obj, by=request.user)
        else:
            services.session_create(session=obj, by=request.user)

    def save_row(self, request, obj, form, change):
        if isinstance(obj, Participant):
            if obj.pk is None:
                services.participant_add(participant=obj, by=request.user)
            else:
                services.participant_edit(participant=obj, by=request.user)
        elif isinstance(obj, AgendaItem):
            if obj.pk is None:
                services.agenda_item_create(item=obj, by=request.user)
            else:
                services.agenda_item_edit(item=obj, by=request.user)
        else:
            super().save_row(request, obj, form, change)


@admin.register(Participant)
class ParticipantAdmin(WithdrawableAdmin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = ("person", "position", "role", "party", "session", "withdrawn_at")
    list_filter = ("role", "party", "session__council")
    list_select_related = ("person", "party", "session__council")
    search_fields = ("person__name", "position")
    autocomplete_fields = ("session", "person", "party", "agency")

    def save_record(self, request, obj, form, change):
        if change:
            services.participant_edit(participant=obj, by=request.user)
        else:
            services.participant_add(participant=obj, by=request.user)

    def withdraw(self, request, obj, reason):
        services.participant_withdraw(participant=obj, by=request.user, reason=reason)


@admin.register(AgendaItem)
class AgendaItemAdmin(WithdrawableAdmin, SimpleHistoryAdmin):
    list_display = ("title", "order", "session", "sector", "is_illustrative", "withdrawn_at")
    list_filter = ("sector", "session__council", "is_illustrative")
    list_select_related = ("session__council", "sector")
    search_fields = ("title", "summary")
    autocomplete_fields = ("session", "sector", "speakers")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "language" and field is not None:
            field.required = False  # left out of a post: recorded in Russian (the default)
        return field

    def save_record(self, request, obj, form, change):
        speakers = form.cleaned_data.get("speakers")
        if change:
            services.agenda_item_edit(item=obj, speakers=speakers, by=request.user)
        else:
            services.agenda_item_create(item=obj, speakers=speakers, by=request.user)

    def withdraw(self, request, obj, reason):
        services.agenda_item_withdraw(item=obj, by=request.user, reason=reason)
