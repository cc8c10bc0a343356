"""The dashboard: what needs the user's attention today."""

from __future__ import annotations

from django.db.models import F
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import workload
from ..models import (
    Session,
    StatusUpdate,
)
from ..paging import first_rows
from ..policies import policy_for
from ..querysets import local_today
from ._access import DUE_SOON_DAYS, _visible_commitments
from .nudges import stale_context

# Rows each of the dashboard's lists shows.
SHOWN = 10


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    policy = policy_for(request)
    today = local_today()
    visible = _visible_commitments(request)
    mine = policy.my_commitments()
    counts = workload.deadline_counts(policy, today, DUE_SOON_DAYS)
    mine_open = mine.open().for_list().with_overdue_flag(today)
    agencies, councils = policy.my_scope()
    groups = ("council_id", councils) if agencies is None and councils else None
    # Reported completions waiting for a review: a manager's queue, the others' own. The
    # list shows 10; they are counted only when there are more (rarely: no COUNT query).
    queue = policy.awaiting_review(visible)
    rows = queue.for_list().with_overdue_flag(today) if policy.is_manager else queue.only("pk")
    awaiting = list(rows.order_by("pk")[: SHOWN + 1])
    awaiting_count = (
        len(awaiting) if len(awaiting) <= SHOWN else workload.awaiting_review_count(policy, queue)
    )
    context = {
        "today": today,
        "my_open": mine_open.order_by(F("deadline").asc(nulls_last=True), "pk")[:10],
        "my_open_count": counts["open"],
        # A secretariat's few councils: read council by council (each council's index of
        # open deadlines), not by sorting every overdue one of them (46 ms at a million).
        "overdue": first_rows(mine_open.overdue(today).order_by("deadline", "pk"), 10, groups),
        "overdue_count": counts["overdue"],
        "due_soon": mine_open.due_within(DUE_SOON_DAYS, today).order_by("deadline")[:10],
        "due_soon_count": counts["due_soon"],
        "awaiting_review": awaiting[:SHOWN] if policy.is_manager else [],
        "awaiting_review_count": awaiting_count,
        "is_reviewer": policy.is_manager,
        "extension_pending_count": policy.pending_extension_requests().count(),
        "next_sessions": Session.objects.upcoming(today)
        .filter(council__in=policy.council_ids())
        .select_related("council")[:5],
        "recent_updates": StatusUpdate.objects.filter(
            commitment__session__council__in=policy.council_ids()
        )
        .select_related("commitment__session__council", "author", "agency__party")
        .order_by("-created_at", "-pk")[:8],
    }
    context.update(stale_context(request))
    return render(request, "council/dashboard.html", context)
