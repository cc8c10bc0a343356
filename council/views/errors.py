"""Error pages."""

from __future__ import annotations

from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import render
from django.utils.translation import gettext as _


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else _("You may not do this.")
    return render(request, "403.html", {"message": message}, status=403)
