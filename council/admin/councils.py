"""Councils, co-chairs and events."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..models import (
    CoChair,
    Council,
    Event,
)
from .base import NoDeleteInline, ServiceAdmin, WithdrawableAdmin


class CoChairInline(NoDeleteInline, TranslationTabularInline):
    model = CoChair
    extra = 0
    autocomplete_fields = ("party", "person")
    exclude = ("withdrawn_at", "withdrawn_by", "withdrawal_reason")
    show_change_link = True  # a co-chair recorded by mistake is withdrawn on its own page

    def get_queryset(self, request):
        return super().get_queryset(request).filter(withdrawn_at__isnull=True)


@admin.register(Council)
class CouncilAdmin(ServiceAdmin, TranslationAdmin):
    list_display = ("name", "short_name", "kind", "parent", "session_count", "is_active")
    list_filter = ("kind", "is_active", "parties")
    list_select_related = ("parent",)
    search_fields = ("name", "short_name")
    autocomplete_fields = ("parent",)
    filter_horizontal = ("parties", "secretariat_agencies", "secretariat_staff")
    inlines = [CoChairInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_session_count=Count("sessions"))

    @admin.display(description=_("sessions"), ordering="_session_count")
    def session_count(self, obj: Council) -> int:
        return obj._session_count

    def save_record(self, request, obj, form, change):
        data = form.cleaned_data
        services.council_save(
            council=obj,
            by=request.user,
            parties=data.get("parties"),
            secretariat_agencies=data.get("secretariat_agencies"),
            secretariat_staff=data.get("secretariat_staff"),
        )

    def save_row(self, request, obj, form, change):
        services.cochair_save(cochair=obj, by=request.user)


@admin.register(CoChair)
class CoChairAdmin(WithdrawableAdmin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = ("person", "council", "party", "position", "start_date", "end_date")
    list_filter = ("council", "party")
    list_select_related = ("person", "council", "party")
    search_fields = ("person__name", "council__name")
    autocomplete_fields = ("council", "party", "person")

    def save_record(self, request, obj, form, change):
        services.cochair_save(cochair=obj, by=request.user)

    def withdraw(self, request, obj, reason):
        services.cochair_withdraw(cochair=obj, by=request.user, reason=reason)


@admin.register(Event)
class EventAdmin(ServiceAdmin, SimpleHistoryAdmin):
    list_display = ("title", "kind", "year", "date", "city", "host_party", "council")
    list_filter = ("kind", "council", "host_party", "year")
    list_select_related = ("council", "host_party")
    search_fields = ("title", "description", "city")
    autocomplete_fields = ("council", "reported_at", "host_party", "sector")

    def save_record(self, request, obj, form, change):
        services.event_save(event=obj, by=request.user)
