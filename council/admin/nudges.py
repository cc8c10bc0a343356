"""Sides at risk and reminders to a side: read here, written on the commitment page."""

from __future__ import annotations

from django.contrib import admin

from ..models import RiskFlag, SideNudge
from .base import NoDeleteMixin


class _ReadOnly(NoDeleteMixin, admin.ModelAdmin):
    """Raised, cleared and sent through the commitment page (its services check who)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RiskFlag)
class RiskFlagAdmin(_ReadOnly):
    list_display = ("commitment", "party", "raised_by", "raised_at", "cleared_at")
    list_filter = ("party", "commitment__council")
    list_select_related = ("commitment", "party", "raised_by")
    search_fields = ("commitment__title", "reason")
    readonly_fields = [f.name for f in RiskFlag._meta.fields]


@admin.register(SideNudge)
class SideNudgeAdmin(_ReadOnly):
    list_display = ("commitment", "party", "day", "sent_by", "recipients")
    list_filter = ("party", "commitment__council")
    list_select_related = ("commitment", "party", "sent_by")
    search_fields = ("commitment__title", "note")
    readonly_fields = [f.name for f in SideNudge._meta.fields]
