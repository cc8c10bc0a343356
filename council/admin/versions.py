"""Texts of commitments and agenda items in other languages: corrected and withdrawn
through the services, never deleted."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..models import AgendaItemVersion, CommitmentVersion
from .base import WithdrawableAdmin


@admin.register(CommitmentVersion)
class CommitmentVersionAdmin(WithdrawableAdmin, SimpleHistoryAdmin):
    list_display = ("title", "language", "is_translation", "commitment", "withdrawn_at")
    list_filter = ("language", "is_translation")
    list_select_related = ("commitment",)
    search_fields = ("title", "text", "commitment__title", "commitment__clause")
    autocomplete_fields = ("commitment",)

    def save_record(self, request, obj, form, change):
        services.commitment_version_save(version=obj, by=request.user)

    def withdraw(self, request, obj, reason):
        services.commitment_version_withdraw(version=obj, by=request.user, reason=reason)


@admin.register(AgendaItemVersion)
class AgendaItemVersionAdmin(WithdrawableAdmin, SimpleHistoryAdmin):
    list_display = ("title", "language", "is_translation", "agenda_item", "withdrawn_at")
    list_filter = ("language", "is_translation")
    list_select_related = ("agenda_item",)
    search_fields = ("title", "agenda_item__title")
    autocomplete_fields = ("agenda_item",)

    def save_record(self, request, obj, form, change):
        services.agenda_item_version_save(version=obj, by=request.user)

    def withdraw(self, request, obj, reason):
        services.agenda_item_version_withdraw(version=obj, by=request.user, reason=reason)
