"""One search box for everything a user may see: commitments, sessions and their agenda,
protocols and progress reports, grouped."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import search
from ..models import AgendaItem, Protocol, Session, StatusUpdate
from ..policies import policy_for

SHOWN = 20  # per group; the commitment list shows every match with its filters


@require_GET
def search_everything(request: HttpRequest) -> HttpResponse:
    value = request.GET.get("q", "").strip()[:200]
    context = {"q": value, "groups": []}
    if value:
        policy = policy_for(request)
        councils = policy.council_ids()
        commitments, context["ranked"] = search.ranked_commitments(
            policy.visible_commitments().select_related("session__council"), value
        )
        sessions = (
            Session.objects.filter(council__in=councils)
            .filter(
                Q(summary__icontains=value)
                | Q(city__icontains=value)
                | Q(venue__icontains=value)
                | Q(council__name__icontains=value)
                | Q(council__short_name__icontains=value)
            )
            .select_related("council")
            .order_by("-start_date", "-pk")
        )
        agenda = (
            AgendaItem.objects.filter(session__council__in=councils, withdrawn_at=None)
            .filter(title__icontains=value)
            .select_related("session__council")
            .order_by("-session__start_date", "order")
        )
        protocols = (
            Protocol.objects.filter(session__council__in=councils)
            .filter(title__icontains=value)
            .select_related("session__council")
            .order_by("-session__start_date")
        )
        reports = search.reports_matching(
            StatusUpdate.objects.filter(
                commitment__in=policy.visible_commitments(), withdrawn_at=None
            ).select_related("commitment__session__council", "agency"),
            value,
        ).order_by("-created_at", "-pk")
        found = [
            ("commitments", commitments),
            ("sessions", sessions),
            ("agenda", agenda),
            ("protocols", protocols),
            ("reports", reports),
        ]
        context["groups"] = [
            {"key": key, "rows": rows, "more": more}
            for key, query in found
            for rows, more in [_first(query)]
        ]
        for group in context["groups"]:
            for row in group["rows"]:
                if group["key"] in ("commitments", "reports"):
                    row.snippet = search.snippet(
                        row.note if group["key"] == "reports" else row.text, value
                    )
        context["found"] = sum(len(group["rows"]) for group in context["groups"])
    return render(request, "council/search.html", context)


def _first(query) -> tuple[list, bool]:
    rows = list(query[: SHOWN + 1])
    return rows[:SHOWN], len(rows) > SHOWN
