"""Indicators, observations and targets."""

from __future__ import annotations

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..models import (
    Indicator,
    Observation,
    Target,
)
from .base import DateHierarchyGuard, NoDeleteInline, ServiceAdmin


class ObservationInline(NoDeleteInline, admin.TabularInline):
    model = Observation
    extra = 0
    fields = ("period_start", "period_end", "qualifier", "value", "change_pct", "source")


class TargetInline(NoDeleteInline, admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(ServiceAdmin, TranslationAdmin):
    list_display = ("name", "council", "unit", "sector")
    list_filter = ("council", "unit", "sector")
    list_select_related = ("council", "sector")
    search_fields = ("name", "code")
    autocomplete_fields = ("council", "sector")
    prepopulated_fields = {"code": ("name",)}
    inlines = [ObservationInline, TargetInline]

    def save_record(self, request, obj, form, change):
        services.indicator_save(indicator=obj, by=request.user)

    def save_row(self, request, obj, form, change):
        if isinstance(obj, Observation):
            services.observation_save(observation=obj, by=request.user)
        else:
            services.target_save(target=obj, by=request.user)


@admin.register(Observation)
class ObservationAdmin(DateHierarchyGuard, ServiceAdmin, SimpleHistoryAdmin):
    list_display = ("indicator", "period_start", "period_end", "qualifier", "value", "change_pct")
    list_filter = ("indicator__council", "indicator")
    list_select_related = ("indicator",)
    search_fields = ("indicator__name", "source")
    autocomplete_fields = ("indicator", "reported_at")
    date_hierarchy = "period_end"

    def save_record(self, request, obj, form, change):
        services.observation_save(observation=obj, by=request.user)


@admin.register(Target)
class TargetAdmin(ServiceAdmin, SimpleHistoryAdmin):
    list_display = ("indicator", "target_date", "value")
    list_select_related = ("indicator",)
    search_fields = ("indicator__name",)
    autocomplete_fields = ("indicator",)

    def save_record(self, request, obj, form, change):
        services.target_save(target=obj, by=request.user)
