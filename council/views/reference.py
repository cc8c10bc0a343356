"""Reference data added where it is missing: an agency or a person added from a session's
forms, in a dialog next to the list, without going to admin.

The dialog loads the form (GET) and posts it with htmx. Refused, the form comes back with
its errors (422) and replaces itself in the dialog; accepted, the answer is the new
``<option>``, which the page adds to every list of that kind and chooses in the one the
dialog was opened from (static/js/app.js). Without JavaScript the same addresses are a
small page of their own that returns to the form it came from."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.http import reswap

from .. import forms, services
from ..models import Council
from ..policies import policy_for
from ._access import _form_error

KINDS = {
    "agency": {
        "form": forms.AgencyQuickForm,
        "add": services.reference.agency_add_quick,
        "fields": ("party", "name", "short_name", "kind"),
    },
    "person": {
        "form": forms.PersonQuickForm,
        "add": services.reference.person_add_quick,
        "fields": ("party", "name", "position"),
    },
}


def _council(request: HttpRequest, council_pk: int) -> Council:
    """The council if the user may see it (404) and add to its lists (403)."""
    council = get_object_or_404(policy_for(request).councils(), pk=council_pk)
    if not policy_for(request).can_quick_add_reference(council.pk):
        raise PermissionDenied(
            _("Only the council's secretariat or an administrator may add to this list.")
        )
    return council


def _back(request: HttpRequest, council: Council) -> str:
    """Where a page without JavaScript returns: the form it came from, on this site."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return council.get_absolute_url()


def _quick_add(request: HttpRequest, council_pk: int, kind: str) -> HttpResponse:
    council = _council(request, council_pk)
    spec = KINDS[kind]
    form = spec["form"](request.POST or None, council=council, prefix=f"quick-{kind}")
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in spec["fields"]}
        try:
            added = spec["add"](council=council, by=request.user, **values)
        except ValidationError as error:
            _form_error(form, error)
        else:
            if not request.htmx:
                messages.success(
                    request,
                    _("“%(name)s” is added; choose it in the list.") % {"name": added},
                )
                return redirect(_back(request, council))
            # The new option; the page adds it to its lists and chooses it. Nothing here
            # replaces the dialog's form: the page closes the dialog.
            option = format_html('<option value="{}" selected>{}</option>', added.pk, added)
            return reswap(HttpResponse(option), "none")
    context = {
        "form": form,
        "council": council,
        "kind": kind,
        "next": _back(request, council),
        "in_dialog": bool(request.htmx),
    }
    template = (
        "council/includes/quick_add_form.html"
        if request.htmx
        else "council/includes/quick_add_page.html"
    )
    return render(request, template, context, status=422 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def agency_quick_add(request: HttpRequest, council_pk: int) -> HttpResponse:
    return _quick_add(request, council_pk, "agency")


@require_http_methods(["GET", "POST"])
def person_quick_add(request: HttpRequest, council_pk: int) -> HttpResponse:
    return _quick_add(request, council_pk, "person")
