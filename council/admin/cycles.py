"""Reporting cycles: view only. The secretariat sets and stops them on the commitment
page (``services.reporting_cycle_set`` / ``reporting_cycle_stop``), with history."""

from __future__ import annotations

from django.contrib import admin

from ..models import ReportingCycle
from .base import NoDeleteMixin


@admin.register(ReportingCycle)
class ReportingCycleAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("commitment", "period", "due_day", "starts_on", "is_active", "created_by")
    list_filter = ("period", "is_active")
    list_select_related = ("commitment", "created_by")
    search_fields = ("commitment__title", "commitment__clause")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
