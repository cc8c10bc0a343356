"""Report and compliance tallies: read-only (the background scan counts them; nobody edits them)."""

from django.contrib import admin

from ..models import ComplianceTally, ReportTally
from .base import NoDeleteMixin


@admin.register(ReportTally)
class ReportTallyAdmin(NoDeleteMixin, admin.ModelAdmin):
    """When each council's report figures were last counted, and as of which day."""

    list_display = ("council", "day", "computed_at")
    list_select_related = ("council",)
    readonly_fields = ("council", "day", "counts", "computed_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ComplianceTally)
class ComplianceTallyAdmin(NoDeleteMixin, admin.ModelAdmin):
    """When each council's compliance scores were last added up."""

    list_display = ("council", "computed_at")
    list_select_related = ("council",)
    readonly_fields = ("council", "sums", "computed_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
