"""Personal API tokens on the profile page: create (the secret shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import forms, services
from ..models import ApiToken

# The secret waits in the session for the one page that shows it, then is gone.
NEW_TOKEN_KEY = "council_new_api_token"  # noqa: S105 (a session key)


@require_POST
def api_token_create(request: HttpRequest) -> HttpResponse:
    from .account import profile

    form = forms.ApiTokenForm(request.POST, prefix="token")
    if form.is_valid():
        try:
            token, secret = services.api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[NEW_TOKEN_KEY] = {"id": token.pk, "secret": secret}
            messages.success(request, _("Token “%(name)s” created.") % {"name": token.name})
            return redirect("council:profile")
    return profile(request, token_form=form)


@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=pk, user=request.user)
    try:
        services.api_token_revoke(token=token, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("council:profile")


def token_context(request: HttpRequest, token_form=None) -> dict:
    """What the profile page shows of the person's tokens."""
    return {
        "api_tokens": ApiToken.objects.filter(user=request.user).order_by(
            "revoked_at", "-created_at"
        )[:50],
        "token_form": token_form or forms.ApiTokenForm(prefix="token"),
        "new_token": request.session.pop(NEW_TOKEN_KEY, None),
    }
