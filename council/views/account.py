"""Signing in, the health check, the profile and the language switcher."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import (
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from .. import forms, services
from ..i18n import remember_language
from ..models import (
    Agency,
)
from ..policies import policy_for
from .api_tokens import token_context


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest, token_form=None) -> HttpResponse:
    # The form checks the input against a copy: request.user changes only through the service.
    posted = request.POST if token_form is None else None
    form = forms.ProfileForm(posted or None, instance=copy.copy(request.user))
    if posted and form.is_valid():
        try:
            user = services.user_save_profile(
                user=request.user,
                by=request.user,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                email=form.cleaned_data["email"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your profile is saved."))
            response = redirect("council:profile")
            remember_language(request, response, user.language)
            return response
    context = {
        "form": form,
        "feed_councils": policy_for(request).councils().order_by("name"),
        # request.user comes without its agency: one query here, not two lazy ones.
        "agency": Agency.objects.select_related("party").filter(pk=request.user.agency_id).first(),
        **token_context(request, token_form),
    }
    refused = form.errors or (token_form is not None and token_form.errors)
    return render(request, "council/profile.html", context, status=422 if refused else 200)


@login_not_required  # the sign-in page has the switcher too
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` (its safe ``next`` redirect); the choice is remembered."""
    response = django_set_language(request)
    remember_language(request, response, request.POST.get("language", ""))
    return response
