"""A commitment's reporting cycle: the panel on the commitment page, set and stopped by
the secretariat (htmx; a refusal answers 422 with the panel and what was typed)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import forms, services
from ..cycles import DUE, OVERDUE, interim_reports
from ..history import commitment_history_rows
from ..models import Commitment, ReportingCycle
from ..policies import policy_for
from ..querysets import local_today
from ..workdays import country_label, non_working
from ._access import _form_error, _get_commitment
from .commitments import _commitment_context

PANEL = "council/includes/reporting_cycle_body.html"


def cycle_panel_context(
    request: HttpRequest, commitment: Commitment, *, form=None, error: str = "", saved: str = ""
) -> dict:
    """What the reporting cycle panel shows: the active cycle, each side's interim report
    (two queries), and the secretariat's form."""
    today = local_today()
    policy = policy_for(request)
    cycle = ReportingCycle.objects.filter(commitment=commitment, is_active=True).first()
    reports = interim_reports([cycle], today) if cycle else []
    for report in reports:
        # The date the side still owes a report by, if it falls on a day off there.
        owed = report.next_due if report.state in (DUE, OVERDUE) else None
        if owed is None and report.current_reported_on is None:
            owed = report.current.due
        off = non_working(owed, report.party_code)
        report.due_off = (
            {"country": country_label(report.party_code), "name": off.name, "date": off.date}
            if off
            else None
        )
    can_set = policy.can_set_reporting_cycle(commitment)
    if form is None and can_set:
        form = forms.ReportingCycleForm(
            initial={
                "period": cycle.period if cycle else ReportingCycle.Period.QUARTERLY,
                "due_day": cycle.due_day if cycle else 10,
                "starts_on": cycle.starts_on if cycle else today,
            }
        )
    return {
        "commitment": commitment,
        "cycle": cycle,
        "interim_reports": reports,
        "any_overdue": any(r.state == OVERDUE for r in reports),
        "can_set_cycle": can_set,
        "cycle_form": form,
        "cycle_error": error,
        "cycle_saved": saved,
        "today": today,
    }


def _panel(request: HttpRequest, commitment: Commitment, *, status: int = 200, **kwargs):
    """The panel again (htmx); without htmx, back to the page, or the page with the
    refused panel in it."""
    if not request.htmx and status == 200:
        messages.success(request, kwargs.get("saved", ""))
        return redirect(commitment)
    panel = cycle_panel_context(request, commitment, **kwargs)
    if request.htmx:
        return render(request, PANEL, panel, status=status)
    context = _commitment_context(request, commitment)
    context.update(
        {
            "reviews": commitment.reviews.select_related(
                "session__council", "replacement", "decided_by"
            ),
            "carried_over_by": commitment.carried_over_by.select_related("session__council"),
            "history": commitment_history_rows(commitment, limit=50),
            "cycle_panel": panel,
        }
    )
    return render(request, "council/commitment_detail.html", context, status=status)


def _refused(request: HttpRequest, commitment: Commitment) -> HttpResponse | None:
    policy = policy_for(request)
    refusal = policy.reporting_cycle_refusal(commitment)
    if refusal is None:
        return None
    if not policy.can_edit_commitment(commitment):
        raise PermissionDenied(refusal)
    form = forms.ReportingCycleForm(request.POST) if "period" in request.POST else None
    return _panel(request, commitment, status=422, form=form, error=refusal)


@require_POST
def reporting_cycle_set(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _get_commitment(request, pk)
    refused = _refused(request, commitment)
    if refused is not None:
        return refused
    form = forms.ReportingCycleForm(request.POST)
    if form.is_valid():
        try:
            services.reporting_cycle_set(
                commitment=commitment,
                period=form.cleaned_data["period"],
                due_day=form.cleaned_data["due_day"],
                starts_on=form.cleaned_data["starts_on"],
                by=request.user,
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            return _panel(request, commitment, saved=_("Reporting cycle saved."))
    return _panel(request, commitment, status=422, form=form)


@require_POST
def reporting_cycle_stop(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _get_commitment(request, pk)
    if not policy_for(request).can_edit_commitment(commitment):
        raise PermissionDenied(_("Only the council's secretariat may set a reporting cycle."))
    try:
        services.reporting_cycle_stop(commitment=commitment, by=request.user)
    except ValidationError as error:
        return _panel(request, commitment, status=422, error=" ".join(error.messages))
    return _panel(request, commitment, saved=_("Reporting cycle stopped."))
