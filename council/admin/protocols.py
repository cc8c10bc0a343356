"""Protocols, signatories and signed files (immutable once stored)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..forms import check_upload
from ..models import (
    Protocol,
    ProtocolFile,
    Signatory,
)
from .base import (
    SOURCED_FIELDSET,
    DateHierarchyGuard,
    NoDeleteInline,
    ServiceAdmin,
    WithdrawableAdmin,
    WithdrawalForm,
)


class SignatoryInline(NoDeleteInline, TranslationTabularInline):
    model = Signatory
    extra = 0
    autocomplete_fields = ("person", "party")
    exclude = ("withdrawn_at", "withdrawn_by", "withdrawal_reason")
    show_change_link = True  # one recorded by mistake is withdrawn on its own page

    def get_queryset(self, request):
        return super().get_queryset(request).filter(withdrawn_at__isnull=True)


class ProtocolFileUploadForm(forms.ModelForm):
    """An upload, checked as the staff app checks it (size, kind, content)."""

    class Meta:
        model = ProtocolFile
        fields = ("kind", "language", "file")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            self.fields["file"].validators.append(check_upload)


class ProtocolFileInline(NoDeleteInline, admin.TabularInline):
    """Files are added here; a stored file is never changed (it is read-only): a wrong one
    is withdrawn on its own page and a new one uploaded."""

    model = ProtocolFile
    form = ProtocolFileUploadForm
    extra = 0
    fields = ("kind", "language", "file", "original_name", "uploaded_at", "withdrawn_at")
    readonly_fields = ("original_name", "uploaded_at", "withdrawn_at")
    show_change_link = True

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Protocol)
class ProtocolAdmin(DateHierarchyGuard, ServiceAdmin, SimpleHistoryAdmin):
    list_display = (
        "title",
        "session",
        "number",
        "status",
        "signed_on",
        "signed_in",
        "is_illustrative",
    )
    list_filter = ("status", "session__council")
    list_select_related = ("session__council",)
    search_fields = ("title", "number")
    autocomplete_fields = ("session",)
    date_hierarchy = "signed_on"
    inlines = [SignatoryInline, ProtocolFileInline]
    fieldsets = (
        (None, {"fields": ("session", "title", "number", "status")}),
        (_("Signing"), {"fields": ("signed_on", "signed_in", "languages")}),
        (_("Notes"), {"fields": ("notes",)}),
        SOURCED_FIELDSET,
    )

    def save_record(self, request, obj, form, change):
        services.protocol_save(protocol=obj, by=request.user)

    def save_row(self, request, obj, form, change):
        if isinstance(obj, ProtocolFile):
            services.protocol_file_upload(
                protocol_file=obj, upload=form.cleaned_data["file"], by=request.user
            )
        elif obj.pk is None:
            services.signatory_add(signatory=obj, by=request.user)
        else:
            services.signatory_edit(signatory=obj, by=request.user)


@admin.register(Signatory)
class SignatoryAdmin(WithdrawableAdmin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = ("person", "position", "party", "protocol", "withdrawn_at")
    list_select_related = ("person", "party", "protocol")
    search_fields = ("person__name", "position")
    autocomplete_fields = ("protocol", "person", "party")

    def save_record(self, request, obj, form, change):
        if change:
            services.signatory_edit(signatory=obj, by=request.user)
        else:
            services.signatory_add(signatory=obj, by=request.user)

    def withdraw(self, request, obj, reason):
        services.signatory_withdraw(signatory=obj, by=request.user, reason=reason)


class ProtocolFileAdminForm(WithdrawalForm, ProtocolFileUploadForm):
    pass


@admin.register(ProtocolFile)
class ProtocolFileAdmin(WithdrawableAdmin, SimpleHistoryAdmin):
    """A stored file is read-only: replacing one is withdrawing it (with a reason) and
    uploading a new one, both kept on the protocol's page and in its history."""

    form = ProtocolFileAdminForm
    list_display = (
        "original_name",
        "protocol",
        "kind",
        "language",
        "uploaded_by",
        "uploaded_at",
        "withdrawn_at",
    )
    list_filter = ("kind", "language")
    list_select_related = ("protocol", "uploaded_by")
    search_fields = ("original_name", "protocol__title")
    autocomplete_fields = ("protocol",)
    stored_fields = ("protocol", "kind", "language", "file", "original_name")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["protocol", "kind", "language", "file"]
        return [
            *self.stored_fields,
            "uploaded_by",
            "uploaded_at",
            *self.withdrawal_fields,
            *([] if obj.is_withdrawn else ["withdraw_reason"]),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (*self.stored_fields, "uploaded_by", "uploaded_at", *self.withdrawal_fields)

    def save_record(self, request, obj, form, change):
        if change:  # nothing of a stored file changes but its withdrawal
            raise ValidationError(_("A stored file is not changed: withdraw it instead."))
        services.protocol_file_upload(
            protocol_file=obj, upload=form.cleaned_data["file"], by=request.user
        )

    def withdraw(self, request, obj, reason):
        services.protocol_file_withdraw(upload=obj, by=request.user, reason=reason)
