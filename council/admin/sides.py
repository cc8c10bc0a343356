"""Each party's side of a commitment: view only. Sides follow the responsible agencies
(the commitment's edit) and move through the status services (reports and reviews)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import CommitmentSide
from .base import NoDeleteMixin


@admin.register(CommitmentSide)
class CommitmentSideAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("commitment", "party", "status", "is_responsible", "updated_at")
    list_filter = ("status", "is_responsible", "party")
    list_select_related = ("commitment", "party")
    search_fields = ("commitment__title", "commitment__clause")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
