"""The interface language: chosen with the switcher, kept in a cookie and in the profile
(the switcher is ``views.account.set_language``; sign-in is ``middleware``).

URLs carry no language prefix, so a shared link opens in each reader's own language.
``LocaleMiddleware`` reads the ``django_language`` cookie; the switcher sets it (and, for
a signed-in user, saves the choice to ``User.language``), and signing in sets it from
the profile, so a user gets their language on any browser.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from . import services
from .services.accounts import LANGUAGE_CODES


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


def remember_language(request: HttpRequest, response: HttpResponse, language: str) -> None:
    """The one rule for keeping a language: in the profile of a signed-in person (so any
    browser they sign in on gets it) and in the cookie ``LocaleMiddleware`` reads (so this
    browser does, signed in or not). Unknown codes are ignored."""
    if language not in LANGUAGE_CODES:
        return
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        services.user_set_language(user=user, language=language, by=user)
    set_language_cookie(response, language)


@receiver(user_logged_in, dispatch_uid="council.profile_language_at_login")
def remember_profile_language(sender, request, user, **kwargs) -> None:
    """At sign-in, the profile's language is the one to use: marked for the middleware."""
    language = getattr(user, "language", "")
    if request is not None and language in LANGUAGE_CODES:
        request.profile_language = language


# Kazakh and Kyrgyz readers all read Russian, the council's working language: a string
# not yet translated into their language shows in Russian, never in English (Django
# falls back to LANGUAGE_CODE, which stays English for the English interface).
FALLBACK_LANGUAGE = {"kk": "ru", "ky": "ru"}


def fall_back_to_russian() -> None:
    """Make each Kazakh and Kyrgyz catalogue fall back to the Russian one."""
    from django.utils.translation import trans_real

    if getattr(trans_real.DjangoTranslation, "falls_back_to_russian", False):
        return
    add_default_fallback = trans_real.DjangoTranslation._add_fallback

    def _add_fallback(self, localedirs=None):
        fallback = FALLBACK_LANGUAGE.get(self.language())
        if fallback and self.domain == "django":
            self.add_fallback(trans_real.translation(fallback))
        else:
            add_default_fallback(self, localedirs)

    trans_real.DjangoTranslation._add_fallback = _add_fallback
    trans_real.DjangoTranslation.falls_back_to_russian = True
