"""Compliance scores: read here; a score is set by hand (with a reason) through the same
service as on the compliance page, and scores are derived by a session's assessment."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..models import ComplianceScore
from .base import NoDeleteMixin, ServiceRefusalAdminMixin


class ComplianceScoreAdminForm(forms.ModelForm):
    class Meta:
        model = ComplianceScore
        fields = ("override", "override_reason")


@admin.register(ComplianceScore)
class ComplianceScoreAdmin(ServiceRefusalAdminMixin, NoDeleteMixin, SimpleHistoryAdmin):
    form = ComplianceScoreAdminForm
    refusal_fields = {"value": "override", "reason": "override_reason"}
    list_display = ("commitment", "party", "session", "kind", "derived", "override")
    list_filter = ("kind", "party", "session__council")
    list_select_related = ("commitment", "party", "session__council")
    search_fields = ("commitment__title", "commitment__clause", "override_reason")
    readonly_fields = (
        "commitment",
        "party",
        "session",
        "kind",
        "derived",
        "assessed_at",
        "overridden_by",
        "overridden_at",
    )

    def has_add_permission(self, request) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        services.compliance_override(
            score=obj,
            value=form.cleaned_data.get("override"),
            reason=form.cleaned_data.get("override_reason") or "",
            by=request.user,
        )

    def save_related(self, request, form, formsets, change):
        pass
