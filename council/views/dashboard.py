"""The dashboard: what needs the user's attention today."""

from __future__ import annotations

import copy
from collections.abc import Iterable

from django.db.models import F
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import workload
from ..models import (
    Commitment,
    Session,
    StatusUpdate,
)
from ..paging import first_rows
from ..policies import policy_for
from ..querysets import attach_responsible, local_today, localized
from ._access import DUE_SOON_DAYS, _visible_commitments
from .nudges import stale_sides_first

# Rows each of the dashboard's lists shows.
SHOWN = 10
RECENT_UPDATE_FIELDS = (
    "created_at",
    "note",
    "from_status",
    "to_status",
    "commitment__clause",
    "commitment__title",
    "author__username",
    "author__first_name",
    "author__last_name",
    "agency__party__code",
)


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    policy = policy_for(request)
    today = local_today()
    visible = _visible_commitments(request)
    counts = workload.deadline_counts(policy, today, DUE_SOON_DAYS)
    mine_open = policy.my_commitments().open()
    agencies, councils = policy.my_scope()
    groups = ("council_id", councils) if agencies is None and councils else None
    # Reported completions waiting for a review: a manager's queue, listed (10) and
    # counted only when there are more; the others' own, only counted (no list to show).
    queue = policy.awaiting_review(visible)
    awaiting: list[int] = []
    if policy.is_manager:
        awaiting = list(queue.order_by("pk").values_list("pk", flat=True)[: SHOWN + 1])
    if policy.is_manager and len(awaiting) <= SHOWN:
        awaiting_count = len(awaiting)
    else:
        awaiting_count = workload.awaiting_review_count(policy, queue)
    stale = stale_sides_first(request)  # None for a role that keeps no follow-up
    stale_codes = stale[1] if stale else {}
    # Each list's ids first, each from its own index; then their rows, once for all lists.
    lists = _rows_of(
        {
            "my_open": mine_open.order_by(F("deadline").asc(nulls_last=True), "pk").values_list(
                "pk", flat=True
            )[:SHOWN],
            # A secretariat's few councils: read council by council (each council's index
            # of open deadlines), not by sorting every overdue one of them (46 ms at a
            # million).
            "overdue": first_rows(
                mine_open.overdue(today).order_by("deadline", "pk").values_list("pk", flat=True),
                SHOWN,
                groups,
            ),
            "due_soon": workload.due_soon_ids(policy, today, DUE_SOON_DAYS, SHOWN),
            "awaiting_review": awaiting[:SHOWN],
            "stale": list(stale_codes),
        },
        today,
    )
    # A copy of each stale row carries its sides with no report: the same commitment in
    # another list shows no such badge (only the first stale ones would have it).
    stale_rows = [copy.copy(commitment) for commitment in lists.pop("stale")]
    for commitment in stale_rows:
        commitment.stale_parties = stale_codes[commitment.pk]
    context = {
        "today": today,
        **lists,
        "my_open_count": counts["open"],
        "overdue_count": counts["overdue"],
        "due_soon_count": counts["due_soon"],
        "awaiting_review_count": awaiting_count,
        "is_reviewer": policy.is_manager,
        "extension_pending_count": policy.pending_extension_requests().count(),
        "next_sessions": Session.objects.upcoming(today)
        .filter(council__in=policy.council_ids())
        .select_related("council")[:5],
        # The columns the feed shows: its rows read whole carried every column of six
        # tables, each name in every language.
        "recent_updates": StatusUpdate.objects.filter(commitment__council__in=policy.council_ids())
        .select_related("commitment", "author", "agency__party")
        .only(*RECENT_UPDATE_FIELDS, *localized("agency__short_name", "agency__name"))
        .order_by("-created_at", "-pk")[:8],
    }
    if stale:
        context["stale"] = {"count": stale[0], "rows": stale_rows}
    return render(request, "council/dashboard.html", context)


def _rows_of(lists: dict[str, Iterable[int]], today) -> dict[str, list[Commitment]]:
    """Each list's commitments, in its order, from one read of their rows (the columns a
    row shows, with their sessions and risk flags) and one of their agencies: five lists
    read apart cost five queries and their agencies' five more, and rows read whole (every
    language of every name) twice the queries' time."""
    lists = {name: list(ids) for name, ids in lists.items()}
    wanted = {pk for ids in lists.values() for pk in ids}
    rows = Commitment.objects.filter(pk__in=wanted).for_list_page().with_overdue_flag(today)
    found = {commitment.pk: commitment for commitment in rows}  # no ids: no query
    attach_responsible(list(found.values()))
    return {name: [found[pk] for pk in ids if pk in found] for name, ids in lists.items()}
