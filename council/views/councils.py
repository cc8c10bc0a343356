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
            session_count=Coalesce(
                Subquery(
                    Session.objects.filter(council=OuterRef("pk"))
                    .order_by()
                    .values("council")
                    .annotate(n=Count("*"))
                    .values("n")
                ),
                0,
            ),
            # Counted from the partial index of open commitments (its council column):
            # joining every commitment of every session took seconds at a million.
            open_count=Coalesce(
                Subquery(
                    Commitment.objects.open()
                    .filter(council=OuterRef("pk"))
                    .order_by()
                    .values("council")
                    .annotate(n=Count("*"))
                    .values("n")
                ),
                0,
            ),
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
        .annotate(
            commitment_count=Coalesce(
                Subquery(
                    Commitment.objects.filter(session=OuterRef("pk"))
                    .order_by()
                    .values("session")
                    .annotate(n=Count("*"))
                    .values("n")
                ),
                0,
            )
        )
        .order_by("-number"),
        "status_counts": status_counts,
        "overdue_count": Commitment.objects.for_council(council).overdue(today).count(),
        "can_create_session": policy.can_create_session(council),
        "indicators": council.indicators.prefetch_related("observations"),
        "events": council.events.select_related("host_party").order_by("-year", "title")[:10],
    }
    return render(request, "council/council_detail.html", context)
