"""Django admin for the people who maintain reference data and fix records."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .forms import ResponsibilityRowMixin, check_upload, responsibilities_of
from .models import (
    Agency,
    AgendaItem,
    Attachment,
    CoChair,
    Commitment,
    Council,
    Event,
    Indicator,
    Observation,
    Participant,
    Party,
    Person,
    Protocol,
    ProtocolFile,
    Reminder,
    ReminderMute,
    ReminderRule,
    Responsibility,
    Review,
    Sector,
    Session,
    Signatory,
    StatusUpdate,
    Target,
    User,
)
from .policies import policy_for

admin.site.site_header = _("Council Tracker administration")
admin.site.site_title = _("Council Tracker")
admin.site.index_title = _("Reference data and records")


class NoDeleteMixin:
    """Records of what a council decided are never deleted; they are cancelled or corrected."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# Nothing recorded is deleted from admin either: no "delete selected" on any list.
admin.site.disable_action("delete_selected")


class NoDeleteInline:
    """Inline rows are never deleted: corrections are edits (with history) or withdrawals."""

    can_delete = False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ServiceAdmin(NoDeleteMixin):
    """An admin page whose writes go through the services, as the staff app's do.

    ``save_record`` saves the page's object (and its many-to-many fields), ``save_row``
    each new or changed inline row. A service's refusal (a rule, the policy, a row
    another request took meanwhile) comes back as an error on the page, nothing saved.
    """

    def save_record(self, request, obj, form, change) -> None:
        raise NotImplementedError

    def save_row(self, request, obj, form, change) -> None:
        raise PermissionDenied(_("These rows are not changed here."))

    def save_model(self, request, obj, form, change):
        self.save_record(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # The object's many-to-many fields were set by its service in save_record.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        # Rows are built, not saved, by the formset (it deletes nothing: can_delete is
        # off); ``saved_forms`` pairs each row with its form, in the same order.
        rows = formset.save(commit=False)
        for row, row_form in zip(rows, formset.saved_forms, strict=True):
            self.save_row(request, row, row_form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:  # rolled back with the page's transaction
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class WithdrawalForm(forms.ModelForm):
    """Adds the one change admin makes to a record that must go: withdrawing it."""

    withdraw_reason = forms.CharField(
        label=_("Withdraw it, because…"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Nothing recorded is deleted: a withdrawn record stays in the history, marked, "
            "with this reason."
        ),
    )


class WithdrawableAdmin(ServiceAdmin):
    """A record that is withdrawn, not deleted: the change page has a reason field."""

    form = WithdrawalForm
    withdrawal_fields = ("withdrawn_at", "withdrawn_by", "withdrawal_reason")

    def withdraw(self, request, obj, reason: str) -> None:
        raise NotImplementedError

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *self.withdrawal_fields)

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "withdraw_reason"]
        if obj is not None and not obj.is_withdrawn:
            fields.append("withdraw_reason")
        return fields

    def save_model(self, request, obj, form, change):
        reason = (form.cleaned_data.get("withdraw_reason") or "").strip()
        if not change or set(form.changed_data) - {"withdraw_reason"}:
            self.save_record(request, obj, form, change)
        if reason:
            self.withdraw(request, obj, reason)


class DateHierarchyGuard:
    """A changelist with a ``date_hierarchy`` answers any ``?<field>__year/month/day=``.

    Django turns them into a date range itself and only some bad values come back as an
    "incorrect lookup": a year past 9999 overflows, the end of year 9999 does too, and a
    datetime field in year 1 overflows once moved to UTC, each a server error. Bad values
    are dropped here with a message saying so, and the list is shown without them.
    """

    def changelist_view(self, request, extra_context=None):
        bad = date_hierarchy_errors(self.date_hierarchy, request.GET) if self.date_hierarchy else {}
        if bad:
            query = request.GET.copy()
            for key in bad:
                query.pop(key, None)
            for key, value in bad.items():
                messages.error(
                    request,
                    _(
                        "“%(value)s” is not a date this list can be filtered by (%(name)s); "
                        "that filter is cleared."
                    )
                    % {"value": value[:20], "name": key},
                )
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
        return super().changelist_view(request, extra_context)


# The years a date hierarchy may ask for: a year's range must end within what Python's
# dates hold, also after a move to UTC.
DATE_HIERARCHY_YEARS = range(datetime.MINYEAR + 1, datetime.MAXYEAR)


def date_hierarchy_errors(field: str, params) -> dict[str, str]:
    """The date hierarchy parameters of ``params`` that are not a usable date, each with
    the value refused: digits only, a year in ``DATE_HIERARCHY_YEARS``, a month 1–12, a
    day that exists in that month."""
    parts = {"year": (DATE_HIERARCHY_YEARS), "month": range(1, 13), "day": range(1, 32)}
    numbers: dict[str, int] = {}
    errors: dict[str, str] = {}
    for part, allowed in parts.items():
        key = f"{field}__{part}"
        for value in params.getlist(key):
            if (
                not (value.isascii() and value.isdigit() and len(value) <= 4)
                or int(value) not in allowed
            ):
                errors[key] = value
                break
            numbers[part] = int(value)
    if not errors and {"year", "month", "day"} <= numbers.keys():
        try:
            datetime.date(numbers["year"], numbers["month"], numbers["day"])
        except ValueError:
            errors[f"{field}__day"] = params[f"{field}__day"]
    return errors


SOURCED_FIELDSET = (
    _("Source"),
    {"fields": ("source", "is_illustrative", "illustrative_note"), "classes": ("collapse",)},
)


@admin.register(User)
class UserAdmin(NoDeleteMixin, DjangoUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "agency", "is_staff")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups", "agency__party")
    list_select_related = ("agency__party",)
    autocomplete_fields = ("agency",)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Council Tracker"), {"fields": ("agency", "language")}),
    )

    def save_model(self, request, obj, form, change):
        # The forms have set the fields (and hashed a new password); the service saves.
        services.user_save_by_admin(user=obj, by=request.user)


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


class ParticipantInline(NoDeleteInline, TranslationTabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ("person", "party", "agency")
    fields = ("order", "person", "party", "agency", "role", "position")
    show_change_link = True  # one recorded by mistake is withdrawn on its own page

    def get_queryset(self, request):
        return super().get_queryset(request).filter(withdrawn_at__isnull=True)


class AgendaItemInline(NoDeleteInline, admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ("order", "title", "sector")
    autocomplete_fields = ("sector",)
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).filter(withdrawn_at__isnull=True)


class SessionCommitmentInline(NoDeleteInline, admin.TabularInline):
    """A list of the session's commitments: each is recorded and changed on its own page,
    through the commitment services."""

    model = Commitment
    fk_name = "session"
    extra = 0
    fields = ("clause", "title", "sector", "deadline_kind", "deadline", "status")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Session)
class SessionAdmin(DateHierarchyGuard, ServiceAdmin, SimpleHistoryAdmin):
    list_display = (
        "__str__",
        "council",
        "number",
        "start_date",
        "city",
        "status",
        "is_illustrative",
    )
    list_filter = ("status", "council", "host_party", "is_illustrative")
    list_select_related = ("council", "host_party")
    search_fields = ("council__name", "council__short_name", "city", "summary")
    autocomplete_fields = ("council", "country", "host_party")
    date_hierarchy = "start_date"
    inlines = [ParticipantInline, AgendaItemInline, SessionCommitmentInline]
    fieldsets = (
        (None, {"fields": ("council", "number", "kind", "status")}),
        (
            _("When and where"),
            {"fields": ("start_date", "end_date", "city", "country", "host_party", "venue")},
        ),
        (_("Outcome"), {"fields": ("summary",)}),
        SOURCED_FIELDSET,
    )

    def save_record(self, request, obj, form, change):
        if change:
            services.session_edit(session=obj, by=request.user)
        else:
            services.session_create(session=obj, by=request.user)

    def save_row(self, request, obj, form, change):
        if isinstance(obj, Participant):
            if obj.pk is None:
                services.participant_add(participant=obj, by=request.user)
            else:
                services.participant_edit(participant=obj, by=request.user)
        elif isinstance(obj, AgendaItem):
            if obj.pk is None:
                services.agenda_item_create(item=obj, by=request.user)
            else:
                services.agenda_item_edit(item=obj, by=request.user)
        else:
            super().save_row(request, obj, form, change)


@admin.register(Participant)
class ParticipantAdmin(WithdrawableAdmin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = ("person", "position", "role", "party", "session", "withdrawn_at")
    list_filter = ("role", "party", "session__council")
    list_select_related = ("person", "party", "session__council")
    search_fields = ("person__name", "position")
    autocomplete_fields = ("session", "person", "party", "agency")

    def save_record(self, request, obj, form, change):
        if change:
            services.participant_edit(participant=obj, by=request.user)
        else:
            services.participant_add(participant=obj, by=request.user)

    def withdraw(self, request, obj, reason):
        services.participant_withdraw(participant=obj, by=request.user, reason=reason)


@admin.register(AgendaItem)
class AgendaItemAdmin(WithdrawableAdmin, SimpleHistoryAdmin):
    list_display = ("title", "order", "session", "sector", "is_illustrative", "withdrawn_at")
    list_filter = ("sector", "session__council", "is_illustrative")
    list_select_related = ("session__council", "sector")
    search_fields = ("title", "summary")
    autocomplete_fields = ("session", "sector", "speakers")

    def save_record(self, request, obj, form, change):
        speakers = form.cleaned_data.get("speakers")
        if change:
            services.agenda_item_edit(item=obj, speakers=speakers, by=request.user)
        else:
            services.agenda_item_create(item=obj, speakers=speakers, by=request.user)

    def withdraw(self, request, obj, reason):
        services.agenda_item_withdraw(item=obj, by=request.user, reason=reason)


# Commitments: every change goes through the commitment services -----------------------
#
# Admin forms only validate; the services write. A service's refusal (a stale version, a
# transition not allowed, a clause taken, a decision not the user's) is shown on the form
# with the user's input kept: the change view runs again with the refusal as a form error.


class ServiceRefusalAdminMixin:
    """Shows a service's ``ValidationError`` (or ``PermissionDenied``) raised while saving
    as an error of the admin form, instead of a server error or a silent message."""

    refusal_fields: dict[str, str] = {}  # a service's error key → the admin form's field

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting would save the old row around the services (no check, no version, no
        # status record): an earlier version is read here and restored by an edit.
        if request.method == "POST":
            raise PermissionDenied(
                _("Restore an earlier version by editing the record, so the change is checked.")
            )
        return super().history_form_view(request, object_id, version_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, PermissionDenied) as refusal:
            if request.method != "POST" or getattr(request, "_service_refusal", None):
                raise
            if isinstance(refusal, PermissionDenied):
                refusal = ValidationError(str(refusal) or _("You may not do this."))
            request._service_refusal = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "_service_refusal", None)
        if refusal is None:
            return form
        mapping = self.refusal_fields

        class Refused(form):
            def clean(self):
                cleaned = super().clean()
                if hasattr(refusal, "error_dict"):
                    for key, errors in refusal.error_dict.items():
                        field = mapping.get(key, key)
                        self.add_error(field if field in self.fields else None, errors)
                else:
                    self.add_error(mapping.get(None), refusal)
                return cleaned

        return Refused


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


@admin.register(Event)
class EventAdmin(ServiceAdmin, SimpleHistoryAdmin):
    list_display = ("title", "kind", "year", "date", "city", "host_party", "council")
    list_filter = ("kind", "council", "host_party", "year")
    list_select_related = ("council", "host_party")
    search_fields = ("title", "description", "city")
    autocomplete_fields = ("council", "reported_at", "host_party", "sector")

    def save_record(self, request, obj, form, change):
        services.event_save(event=obj, by=request.user)


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


@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "days", "repeat_every_days", "is_active")
    list_editable = ("days", "repeat_every_days", "is_active")
    list_display_links = ("kind",)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # one rule per kind; switch it off instead

    def save_model(self, request, obj, form, change):
        services.reminder_rule_save(rule=obj, by=request.user)


@admin.register(Reminder)
class ReminderAdmin(DateHierarchyGuard, NoDeleteMixin, admin.ModelAdmin):
    """The reminder log: what was due, to whom, and whether it went out."""

    list_display = (
        "kind",
        "recipient",
        "target",
        "occurrence",
        "status",
        "attempts",
        "sent_at",
        "read_at",
    )
    list_filter = ("kind", "status", "council")
    list_select_related = ("recipient", "commitment", "session__council", "council")
    search_fields = ("key", "recipient__username", "recipient__email", "commitment__title")
    date_hierarchy = "occurrence"
    readonly_fields = [f.name for f in Reminder._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a log: its rows change only by delivery or the retry action

    def has_retry_permission(self, request) -> bool:
        return policy_for(request).can_manage_reminders()

    # Not the "about" of an approximate figure (ObservationQualifier): what it concerns.
    @admin.display(description=pgettext_lazy("reminder: what it concerns", "about"))
    def target(self, obj: Reminder) -> str:
        return str(obj.commitment or obj.session or _("digest"))

    @admin.action(description=_("Send failed reminders again"), permissions=["retry"])
    def retry(self, request, queryset):
        # Back to pending: the next scan sends them.
        count = 0
        for reminder in queryset.filter(status=Reminder.Status.FAILED):
            try:
                services.reminder_retry(reminder=reminder, by=request.user)
            except ValidationError:
                continue  # sent or retried by someone else meanwhile
            count += 1
        self.message_user(
            request, _("%(n)d reminders will be sent by the next scan.") % {"n": count}
        )


@admin.register(ReminderMute)
class ReminderMuteAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("user", "council", "created_at")
    list_select_related = ("user", "council")
    autocomplete_fields = ("council",)
    raw_id_fields = ("user",)

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a mute is added or removed, not moved to another person or council

    def save_model(self, request, obj, form, change):
        mute = services.reminder_mute(user=obj.user, council=obj.council, by=request.user)
        obj.pk, obj.created_at = mute.pk, mute.created_at  # admin logs and links to it
