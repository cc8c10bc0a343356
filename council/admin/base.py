"""What every admin shares: no deletion, saving through the services, withdrawals
instead of deletions, and date filters that refuse impossible dates."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

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
