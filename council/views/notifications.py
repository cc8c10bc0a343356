"""Notifications: the reminders a user received and which councils they hear about."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models.functions import Coalesce
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import services
from ..models import (
    Reminder,
    ReminderMute,
)
from ..policies import policy_for
from ._access import PAGE_SIZE


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    items = (
        Reminder.objects.inbox(request.user)
        .select_related(
            "commitment__session__council", "session__council", "council", "party", "actor"
        )
        .order_by(Coalesce("sent_at", "created_at").desc(), "-pk")
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    policy = policy_for(request)
    muted = set(ReminderMute.objects.filter(user=request.user).values_list("council_id", flat=True))
    councils = [(council, council.pk in muted) for council in policy.councils().order_by("name")]
    return render(request, "council/notification_list.html", {"page": page, "councils": councils})


@require_POST
def notifications_mark_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_read(user=request.user, by=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("council:notification-list")


@require_POST
def reminder_mute(request: HttpRequest, council_pk: int) -> HttpResponse:
    council = get_object_or_404(policy_for(request).councils(), pk=council_pk)
    mute = request.POST.get("mute") == "1"
    if mute:
        services.reminder_mute(user=request.user, council=council, by=request.user)
        messages.success(request, _("You will receive no reminders about %(c)s.") % {"c": council})
    else:
        services.reminder_unmute(user=request.user, council=council, by=request.user)
        messages.success(request, _("Reminders about %(c)s are on again.") % {"c": council})
    return redirect("council:notification-list")
