"""A commitment's text and an agenda item's title in other languages: add, correct or
withdraw a version; a commitment's in place on its page (htmx) or on a page of its own
without JavaScript, an agenda item's from its edit page."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from .. import services
from ..forms import mark_text_language
from ..models import AgendaItem, AgendaItemVersion, Commitment, CommitmentVersion
from ..policies import policy_for
from ..versions import active_versions
from ._access import _form_error, _get_commitment, _get_session, _partial

TEMPLATE = "council/commitment_version_form.html"


class VersionForm(forms.ModelForm):
    """A version's language and texts; the language is one the record does not yet have
    (or this version's own, when correcting it)."""

    record_field = ""  # the version's link to its record: "commitment", "agenda_item"
    text_fields: tuple[str, ...] = ()

    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Kept in the history."),
    )

    def __init__(self, *args, record: Commitment | AgendaItem, **kwargs):
        super().__init__(*args, **kwargs)
        setattr(self.instance, self.record_field, record)
        taken = {record.language} | {
            version.language
            for version in active_versions(record)
            if version.pk != self.instance.pk
        }
        self.fields["language"].choices = [
            (code, name) for code, name in settings.LANGUAGES if code not in taken
        ]
        mark_text_language(self, self.text_fields)


class CommitmentVersionForm(VersionForm):
    record_field, text_fields = "commitment", ("title", "text")

    class Meta:
        model = CommitmentVersion
        fields = ["language", "title", "text", "is_translation"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}


class AgendaItemVersionForm(VersionForm):
    record_field, text_fields = "agenda_item", ("title",)

    class Meta:
        model = AgendaItemVersion
        fields = ["language", "title", "is_translation"]


def _get_editable(request: HttpRequest, pk: int) -> Commitment:
    commitment = _get_commitment(request, pk)
    if not policy_for(request).can_edit_commitment(commitment):
        raise PermissionDenied(_("Only the council's secretariat may record its texts."))
    return commitment


def _respond(request, commitment, form, version=None, *, refused: bool) -> HttpResponse:
    context = {"commitment": commitment, "form": form, "version": version}
    return render(
        request,
        _partial(request, TEMPLATE, "version-form"),
        context,
        status=422 if refused else 200,
    )


def _saved(request, commitment, version) -> HttpResponse:
    message = _("The text is saved (%(language)s).") % {"language": version.get_language_display()}
    if request.htmx:
        commitment = _get_commitment(request, commitment.pk)
        context = {"commitment": commitment, "saved_message": message}
        return render(request, f"{TEMPLATE}#versions", context)
    messages.success(request, message)
    return redirect(f"{commitment.get_absolute_url()}?lang={version.language}")


def _save_version(request, form, save):
    """The version ``form`` holds, saved through ``save`` (the record's service) when the
    form is posted and valid, else None; a refusal of the service lands on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save(
            version=form.save(commit=False), by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        _form_error(form, error)
        return None


@require_http_methods(["GET", "POST"])
def commitment_version_create(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _get_editable(request, pk)
    form = CommitmentVersionForm(request.POST or None, record=commitment)
    if version := _save_version(request, form, services.commitment_version_save):
        return _saved(request, commitment, version)
    return _respond(request, commitment, form, refused=request.method == "POST")


@require_http_methods(["GET", "POST"])
def commitment_version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(CommitmentVersion, pk=pk, withdrawn_at__isnull=True)
    commitment = _get_editable(request, found.commitment_id)
    form = CommitmentVersionForm(request.POST or None, instance=found, record=commitment)
    if version := _save_version(request, form, services.commitment_version_save):
        return _saved(request, commitment, version)
    return _respond(request, commitment, form, found, refused=request.method == "POST")


@require_POST
def commitment_version_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(CommitmentVersion.objects.select_related("commitment"), pk=pk)
    commitment = _get_editable(request, version.commitment_id)
    try:
        services.commitment_version_withdraw(
            version=version, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        message = " ".join(error.messages)
        if request.htmx:
            return HttpResponse(message, status=422)
        messages.error(request, message)
    else:
        messages.success(request, _("The text is withdrawn; it stays in the history."))
    return redirect(commitment.get_absolute_url())


# An agenda item's title in other languages ----------------------------------------------

ITEM_TEMPLATE = "council/agenda_item_version_form.html"


def _get_editable_item(request: HttpRequest, pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem, pk=pk, withdrawn_at__isnull=True)
    item.session = _get_session(request, item.session_id, edit=True)  # 404 or 403
    return item


def _item_form_page(request, item, form, version=None) -> HttpResponse:
    refused = request.method == "POST"
    context = {"item": item, "session": item.session, "form": form, "version": version}
    return render(request, ITEM_TEMPLATE, context, status=422 if refused else 200)


def _item_saved(request, item, version) -> HttpResponse:
    messages.success(
        request,
        _("The title is saved (%(language)s).") % {"language": version.get_language_display()},
    )
    return redirect(reverse("council:agenda-item-edit", args=[item.pk]) + "#versions")


def _save_item_version(request, item, form, version=None) -> HttpResponse:
    if saved := _save_version(request, form, services.agenda_item_version_save):
        return _item_saved(request, item, saved)
    return _item_form_page(request, item, form, version)


@require_http_methods(["GET", "POST"])
def agenda_item_version_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_editable_item(request, pk)
    form = AgendaItemVersionForm(request.POST or None, record=item)
    return _save_item_version(request, item, form)


@require_http_methods(["GET", "POST"])
def agenda_item_version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(AgendaItemVersion, pk=pk, withdrawn_at__isnull=True)
    found.agenda_item = item = _get_editable_item(request, found.agenda_item_id)
    form = AgendaItemVersionForm(request.POST or None, instance=found, record=item)
    return _save_item_version(request, item, form, found)


@require_POST
def agenda_item_version_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(AgendaItemVersion, pk=pk, withdrawn_at__isnull=True)
    version.agenda_item = item = _get_editable_item(request, version.agenda_item_id)
    try:
        services.agenda_item_version_withdraw(
            version=version, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("council:agenda-item-version-edit", args=[version.pk]))
    messages.success(request, _("The title is withdrawn; it stays in the history."))
    return redirect(reverse("council:agenda-item-edit", args=[item.pk]) + "#versions")
