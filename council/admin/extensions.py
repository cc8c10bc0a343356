"""Extension requests: read here; requested, granted, refused and withdrawn on the
commitment's page, through the services."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import ExtensionRequest
from .base import DateHierarchyGuard, NoDeleteMixin


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(DateHierarchyGuard, NoDeleteMixin, SimpleHistoryAdmin):
    """View only: a request and its decision are written by the extension services (the
    deadline moves with a grant), never edited or deleted here."""

    list_display = (
        "commitment",
        "party",
        "current_deadline",
        "new_deadline",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
    )
    list_filter = ("status", "party", "commitment__council")
    list_select_related = ("commitment", "party", "requested_by", "decided_by")
    search_fields = ("commitment__title", "reason", "decision_comment")
    date_hierarchy = "requested_at"
    readonly_fields = (
        "commitment",
        "party",
        "requested_by",
        "requested_at",
        "current_deadline",
        "new_deadline",
        "reason",
        "status",
        "decided_by",
        "decided_at",
        "decision_comment",
    )
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
