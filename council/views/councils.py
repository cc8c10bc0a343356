"""Councils: the list and one council's page."""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ..models import (
    CoChair,
    Commitment,
    Session,
)
from ..policies import policy_for
from ..querysets import local_today


def _count_of(rows, field: str) -> Coalesce:
    """How many of ``rows`` point to the outer row by ``field``, counted in a subquery
    per outer row (0 for none): a join grouped by the outer row made the other counts
    beside it run once per joined row."""
    counted = (
        rows.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


@require_GET
def council_list(request: HttpRequest) -> HttpResponse:
    councils = (
        policy_for(request)
        .councils()
        .select_related("parent")
        .prefetch_related("parties")
        .annotate(
            # Both counted per council in a subquery: joining the sessions grouped the
            # rows by session, and the open count ran once per session (477 times).
            session_count=_count_of(Session.objects.all(), "council"),
            # Counted from the partial index of open commitments (its council column):
            # joining every commitment of every session took seconds at a million.
            open_count=_count_of(Commitment.objects.open(), "council"),
        )
        .order_by(F("parent_id").asc(nulls_first=True), "name")
    )
    return render(request, "council/council_list.html", {"councils": councils})


@require_GET
def council_detail(request: HttpRequest, pk: int) -> HttpResponse:
    policy = policy_for(request)
    council = get_object_or_404(
        policy.councils()
        .select_related("parent")
        .prefetch_related("parties", "secretariat_agencies__party"),
        pk=pk,
    )
    today = local_today()
    by_status = dict(
        Commitment.objects.for_council(council)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    status_counts = [
        (value, label, by_status.get(value, 0)) for value, label in Commitment.Status.choices
    ]
    context = {
        "council": council,
        "co_chairs": CoChair.objects.filter(
            council=council, end_date__isnull=True, withdrawn_at__isnull=True
        ).select_related("person", "party"),
        "sub_bodies": policy.councils().filter(parent=council),
        # Counted per session in a subquery, from the session index alone: joining the
        # commitments grouped 166,000 rows for one council at a million.
        "sessions": council.sessions.select_related("host_party", "protocol")
        .annotate(commitment_count=_count_of(Commitment.objects.all(), "session"))
        .order_by("-number"),
        "status_counts": status_counts,
        "overdue_count": Commitment.objects.for_council(council).overdue(today).count(),
        "can_create_session": policy.can_create_session(council),
        "indicators": council.indicators.prefetch_related("observations"),
        "events": council.events.select_related("host_party").order_by("-year", "title")[:10],
    }
    return render(request, "council/council_detail.html", context)
