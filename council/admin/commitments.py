"""Commitments, their responsible agencies, reports, attachments and review decisions."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..forms import ResponsibilityRowMixin, responsibilities_of
from ..models import (
    Attachment,
    Commitment,
    Responsibility,
    Review,
    StatusUpdate,
)
from .base import SOURCED_FIELDSET, DateHierarchyGuard, NoDeleteMixin, ServiceRefusalAdminMixin


class ResponsibilityInlineForm(ResponsibilityRowMixin, forms.ModelForm):
    class Meta:
        model = Responsibility
        fields = ("agency", "role")


class ResponsibilityFormSet(forms.BaseInlineFormSet):
    """The commitment's responsible agencies; checked as one list by the service's rule,
    and written by the service with the commitment (``CommitmentAdmin.save_related``)."""

    def clean(self) -> None:
        super().clean()
        if not any(form.errors for form in self.forms):
            services.check_responsibilities(responsibilities_of(self))


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    form = ResponsibilityInlineForm
    formset = ResponsibilityFormSet
    extra = 0
    # Admin deletes nothing; an agency named by mistake is replaced here (or removed on
    # the staff app's edit form), and the commitment's history shows before → after.
    can_delete = False
    fields = ("agency", "role")
    autocomplete_fields = ("agency",)


class StatusUpdateInline(admin.TabularInline):
    """Read-only: updates are written through the status form above, never edited."""

    model = StatusUpdate
    extra = 0
    fields = ("created_at", "author", "agency", "from_status", "to_status", "note", "withdrawn_at")
    readonly_fields = fields
    can_delete = False
    ordering = ("-created_at",)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CommitmentAdminForm(forms.ModelForm):
    """The commitment's fields, a status move and, for an edit, the version it was loaded
    at. Whether the move is allowed, and to whom, is the status service's to say."""

    change_status_to = forms.ChoiceField(
        label=_("Change status to"), required=False, choices=[("", "—")] + Commitment.Status.choices
    )
    status_note = forms.CharField(
        label=_("Reason or note for the status change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # The version the form was loaded at; a save from an older one is refused.
    change_reason = forms.CharField(
        label=_("Reason for this change"),
        required=False,
        max_length=500,
        help_text=_("Kept in the commitment's change history."),
    )
    # (Not named "version": the admin would take it for the model's non-editable field.)
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Commitment
        fields = "__all__"  # noqa: DJ007 -- CommitmentAdmin.fieldsets chooses what is shown

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "loaded_version" in self.fields:
            self.fields["loaded_version"].initial = self.instance.version


@admin.register(Commitment)
class CommitmentAdmin(
    DateHierarchyGuard, ServiceRefusalAdminMixin, NoDeleteMixin, SimpleHistoryAdmin
):
    form = CommitmentAdminForm
    # The status service's refusals belong to the status fields; a conflict on top.
    refusal_fields = {"note": "status_note", "__all__": None}
    list_display = (
        "__str__",
        "session",
        "sector",
        "status",
        "deadline_display",
        "lead_agencies",
        "is_monitored",
    )
    list_filter = (
        "status",
        "deadline_kind",
        "is_monitored",
        "sector",
        "session__council",
        "is_illustrative",
    )
    list_select_related = ("session__council", "sector")
    search_fields = ("title", "text", "clause")
    autocomplete_fields = ("session", "sector", "agenda_item", "carries_over")
    date_hierarchy = "deadline"
    readonly_fields = ("status", "created_at", "updated_at")
    inlines = [ResponsibilityInline, StatusUpdateInline]
    fieldsets = (
        (None, {"fields": ("session", "clause", "title", "text", "sector", "agenda_item")}),
        (_("Deadline"), {"fields": ("deadline_kind", "deadline")}),
        (
            _("Status"),
            {
                "fields": (
                    "status",
                    "change_status_to",
                    "status_note",
                    "is_monitored",
                    "loaded_version",
                )
            },
        ),
        (_("Follow-up"), {"fields": ("carries_over", "created_at", "updated_at")}),
        SOURCED_FIELDSET,
        (None, {"fields": ("change_reason",)}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "responsibilities",
                    queryset=Responsibility.objects.filter(
                        role=Responsibility.Role.LEAD
                    ).select_related("agency__party"),
                    to_attr="lead_responsibilities",
                )
            )
        )

    @admin.display(description=_("deadline"), ordering="deadline")
    def deadline_display(self, obj: Commitment) -> str:
        if obj.deadline_kind == Commitment.DeadlineKind.DATE:
            flag = " ⚠" if obj.is_overdue() else ""
            return f"{obj.deadline:%d.%m.%Y}{flag}"
        return obj.get_deadline_kind_display()

    @admin.display(description=_("lead executors"))
    def lead_agencies(self, obj: Commitment) -> str:
        return ", ".join(str(r.agency) for r in getattr(obj, "lead_responsibilities", []))

    def save_model(self, request, obj, form, change):
        """Nothing is written here: ``save_related`` hands the commitment and its
        responsible agencies to the service in one call."""

    def save_related(self, request, form, formsets, change):
        fields = {
            f.name: form.cleaned_data[f.name]
            for f in Commitment._meta.concrete_fields
            if f.name in form.cleaned_data
        }
        responsibilities = next(
            (responsibilities_of(fs) for fs in formsets if fs.model is Responsibility), None
        )
        for formset in formsets:
            # The admin's log reads what the formsets saved; the service saved it, and the
            # commitment's history says what changed, before → after.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        commitment = form.instance
        if change:
            services.commitment_edit(
                commitment=commitment,
                fields=fields,
                responsibilities=responsibilities,
                version=form.cleaned_data.get("loaded_version"),
                by=request.user,
                reason=form.cleaned_data.get("change_reason", ""),
            )
        else:
            created = services.commitment_create(
                session=fields.pop("session"),
                fields=fields,
                responsibilities=responsibilities or [],
                by=request.user,
                reason=form.cleaned_data.get("change_reason", ""),
            )
            # The admin's response and log entry name the saved commitment.
            commitment.pk = created.pk
            commitment._state.adding = False
        to = form.cleaned_data.get("change_status_to")
        if to:
            try:
                services.commitment_change_status(
                    commitment=commitment,
                    to=to,
                    by=request.user,
                    note=form.cleaned_data.get("status_note", ""),
                )
            except (ValidationError, PermissionDenied) as refusal:
                # Refused: nothing of this save is kept (the change view's transaction
                # rolls back) and the reason shows on the status field.
                message = refusal.messages if isinstance(refusal, ValidationError) else str(refusal)
                if isinstance(refusal, ValidationError) and hasattr(refusal, "error_dict"):
                    raise
                raise ValidationError({"change_status_to": message}) from refusal


@admin.register(Responsibility)
class ResponsibilityAdmin(NoDeleteMixin, admin.ModelAdmin):
    """View only: a commitment's responsible agencies are changed on the commitment, where
    the list is checked as a whole and its before → after goes into the history."""

    list_display = ("commitment", "agency", "party", "role")
    list_filter = ("role", "party")
    list_select_related = ("commitment", "agency__party", "party")
    search_fields = ("commitment__title", "agency__name")
    autocomplete_fields = ("commitment", "agency")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ("original_name", "file", "uploaded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(StatusUpdate)
class StatusUpdateAdmin(DateHierarchyGuard, NoDeleteMixin, admin.ModelAdmin):
    """View only: updates are history, written by the status service; one is withdrawn
    on the commitment's page, never edited or deleted."""

    list_display = (
        "commitment",
        "from_status",
        "to_status",
        "author",
        "agency",
        "created_at",
        "withdrawn_at",
    )
    list_filter = ("to_status", "agency__party")
    list_select_related = ("commitment", "author", "agency__party")
    search_fields = ("note", "commitment__title")
    date_hierarchy = "created_at"
    inlines = [AttachmentInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Attachment)
class AttachmentAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("original_name", "update", "uploaded_at")
    list_select_related = ("update__commitment",)
    search_fields = ("original_name",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReviewAdminForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ("commitment", "session", "decision", "new_deadline", "replacement", "note")


@admin.register(Review)
class ReviewAdmin(ServiceRefusalAdminMixin, NoDeleteMixin, SimpleHistoryAdmin):
    """A decision is recorded through the review service, as on the review page: the
    commitment's status, monitoring and deadline follow it. A recorded decision is read
    here, not edited: changing it would leave the commitment as the old decision left it."""

    form = ReviewAdminForm
    list_display = ("commitment", "session", "decision", "new_deadline", "decided_by", "decided_at")
    list_filter = ("decision", "session__council")
    list_select_related = ("commitment", "session__council", "decided_by")
    search_fields = ("commitment__title", "note")
    autocomplete_fields = ("commitment", "session", "replacement")
    readonly_fields = ("decided_by", "decided_at")

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        review = services.review_record_decision(
            commitment=data["commitment"],
            session=data["session"],
            decision=data["decision"],
            by=request.user,
            note=data.get("note") or "",
            new_deadline=data.get("new_deadline"),
            replacement=data.get("replacement"),
        )
        obj.pk = review.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """A review has no related rows of its own to save here."""
