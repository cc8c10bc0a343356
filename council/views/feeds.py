"""Calendar feeds: sessions and deadlines behind a per-user secret link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import services
from ..documents import ical
from ..models import (
    User,
)
from ..policies import policy_for
from ._access import _attachment, _site_url


def _feed_user(token: str) -> User:
    try:
        return User.objects.get(calendar_token=token, is_active=True)
    except User.DoesNotExist:
        raise Http404(_("This calendar link is not valid; it may have been reset.")) from None


def _ics(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    return _attachment(response, f"{name}.ics", inline=True)


@login_not_required
@require_GET
def calendar_sessions(request: HttpRequest, token: str, council_pk: int) -> HttpResponse:
    user = _feed_user(token)
    council = get_object_or_404(policy_for(user).councils(), pk=council_pk)
    sessions = council.sessions.select_related("council").order_by("start_date")
    return _ics(
        ical.sessions_feed(council, sessions, site_url=_site_url(request)),
        _("%(council)s – sessions") % {"council": council},
    )


@login_not_required
@require_GET
def calendar_deadlines(request: HttpRequest, token: str) -> HttpResponse:
    user = _feed_user(token)
    commitments = policy_for(user).my_commitments()
    name = _("Deadlines — %(user)s") % {"user": user}
    feed = ical.deadlines_feed(name, ical.open_dated(commitments), site_url=_site_url(request))
    return _ics(feed, _("Deadlines"))


@require_POST
def calendar_reset(request: HttpRequest) -> HttpResponse:
    services.user_reset_calendar_token(user=request.user, by=request.user)
    messages.success(request, _("New calendar links are ready; the old ones no longer work."))
    return redirect(reverse("council:profile") + "#calendar")
