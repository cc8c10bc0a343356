"""The reporting cycle panel, drawn on the commitment page by a one-line include."""

from __future__ import annotations

from django import template

from ..cycles import DUE, OVERDUE, interim_reports
from ..models import Agency, ReportingCycle
from ..policies import policy_for
from ..querysets import local_today
from ..views.cycles import cycle_panel_context

register = template.Library()


@register.inclusion_tag("council/includes/reporting_cycle_body.html", takes_context=True)
def reporting_cycle_panel(context, commitment):
    request = context["request"]
    # A refused form sent without htmx: the page carries the panel as refused.
    panel = context.get("cycle_panel") or cycle_panel_context(request, commitment)
    panel.update({"request": request, "csrf_token": context.get("csrf_token")})
    return panel


@register.inclusion_tag("council/includes/interim_reports_card_body.html", takes_context=True)
def interim_reports_card(context, shown: int = 10):
    """The dashboard's interim reports: for a focal point, those due or overdue from
    their agency's party; for the secretariat and managers, the overdue ones."""
    request = context["request"]
    policy = policy_for(request)
    today = local_today()
    cycles = ReportingCycle.objects.filter(
        is_active=True, commitment__in=policy.my_commitments().open()
    ).select_related("commitment__session__council")
    parties = None
    wanted = {OVERDUE}
    focal = policy.is_focal_point and bool(policy.agency_ids)
    if focal:
        parties = set(
            Agency.objects.filter(pk=request.user.agency_id).values_list("party_id", flat=True)
        )
        wanted = {DUE, OVERDUE}
    reports = [r for r in interim_reports(cycles, today, parties) if r.state in wanted]
    reports.sort(key=lambda r: (r.state != OVERDUE, r.period.due, r.cycle.commitment_id))
    return {
        "interim_rows": reports[:shown],
        "interim_count": len(reports),
        "interim_overdue": sum(r.state == OVERDUE for r in reports),
        "interim_focal": focal,
        "today": today,
    }
