"""The project's own middleware."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from .i18n import remember_language


class ProfileLanguageMiddleware:
    """Remembers the profile's language on the response to a sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        language = getattr(request, "profile_language", None)
        if language:
            remember_language(request, response, language)
        return response


class VaryOnHtmxMiddleware:
    """Pages answer htmx requests with a fragment and others with the whole page, so
    caches must key on the HX-Request header (django-htmx leaves this to us)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response
