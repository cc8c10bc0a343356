"""The interface language: chosen with the switcher, kept in a cookie and in the profile.

URLs carry no language prefix, so a shared link opens in each reader's own language.
``LocaleMiddleware`` reads the ``django_language`` cookie; the switcher sets it (and, for
a signed-in user, saves the choice to ``User.language``), and signing in sets it from
the profile, so a user gets their language on any browser.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import user_logged_in
from django.contrib.auth.decorators import login_not_required
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def set_language_cookie(response: HttpResponse, language: str) -> None:
    """The same cookie Django's ``set_language`` view sets."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@login_not_required  # the sign-in page has the switcher too
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language``; a signed-in user's choice is also saved to the profile."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if language in LANGUAGE_CODES and user.is_authenticated and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return response


@receiver(user_logged_in, dispatch_uid="council.profile_language_at_login")
def remember_profile_language(sender, request, user, **kwargs) -> None:
    """At sign-in, the profile's language is the one to use: marked for the middleware."""
    language = getattr(user, "language", "")
    if request is not None and language in LANGUAGE_CODES:
        request.profile_language = language


class ProfileLanguageMiddleware:
    """Sets the language cookie on the response to a sign-in, from the user's profile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        language = getattr(request, "profile_language", None)
        if language:
            set_language_cookie(response, language)
        return response
