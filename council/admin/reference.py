"""Reference data: parties, agencies, people, sectors."""

from __future__ import annotations

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .. import services
from ..models import (
    Agency,
    Party,
    Person,
    Sector,
)
from .base import ServiceAdmin


@admin.register(Party)
class PartyAdmin(ServiceAdmin, TranslationAdmin):
    list_display = ("name", "short_name", "code", "order")
    list_editable = ("order",)
    search_fields = ("name", "short_name", "code")

    def save_record(self, request, obj, form, change):
        services.party_save(party=obj, by=request.user)


@admin.register(Agency)
class AgencyAdmin(ServiceAdmin, TranslationAdmin):
    list_display = ("name", "short_name", "party", "kind", "parent", "is_active")
    list_filter = ("party", "kind", "is_active")
    list_select_related = ("party", "parent__party")
    search_fields = ("name", "short_name")
    autocomplete_fields = ("party", "parent")

    def save_record(self, request, obj, form, change):
        services.agency_save(agency=obj, by=request.user)


@admin.register(Person)
class PersonAdmin(ServiceAdmin, TranslationAdmin):
    list_display = ("name", "position", "party", "agency")
    list_filter = ("party",)
    list_select_related = ("party", "agency__party")
    search_fields = ("name", "position")
    autocomplete_fields = ("party", "agency")

    def save_record(self, request, obj, form, change):
        services.person_save(person=obj, by=request.user)


@admin.register(Sector)
class SectorAdmin(ServiceAdmin, TranslationAdmin):
    list_display = ("name", "code", "order", "is_active")
    list_editable = ("order", "is_active")
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}

    def save_record(self, request, obj, form, change):
        services.sector_save(sector=obj, by=request.user)
