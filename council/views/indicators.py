"""Indicators a council follows: their series and targets."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import forms, services
from ..models import (
    Indicator,
    Observation,
)
from ..policies import policy_for
from ..reporting import charts
from ._access import _form_error


@require_GET
def indicator_list(request: HttpRequest, council_pk: int) -> HttpResponse:
    council = get_object_or_404(policy_for(request).councils(), pk=council_pk)
    indicators = council.indicators.select_related("sector").prefetch_related(
        "observations", "targets"
    )
    return render(
        request, "council/indicator_list.html", {"council": council, "indicators": indicators}
    )


def _series(indicator: Indicator) -> list[dict]:
    """Observations oldest first, each with the change on the previous period of the same
    shape (Jan–Aug on Jan–Aug; computed) beside the change on a year earlier (as reported)."""
    rows = []
    previous_by_shape: dict[tuple, Observation] = {}
    observations = indicator.observations.select_related("reported_at__council")
    for observation in observations.order_by("period_end"):
        start, end = observation.period_start, observation.period_end
        shape = (start.month, start.day, end.month, end.day)
        previous = previous_by_shape.get(shape)
        change = None
        if previous is not None and previous.value:
            change = (observation.value - previous.value) / previous.value * 100
        rows.append({"observation": observation, "previous": previous, "change": change})
        previous_by_shape[shape] = observation
    return rows


@require_http_methods(["GET", "POST"])
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    policy = policy_for(request)
    indicator = get_object_or_404(
        Indicator.objects.select_related("council", "sector").filter(
            council__in=policy.council_ids()
        ),
        pk=pk,
    )
    can_edit = policy.can_edit_council_records(indicator.council_id)
    form = None
    if can_edit:
        form = forms.ObservationForm(request.POST or None, indicator=indicator)
        if request.method == "POST" and form.is_valid():
            try:
                services.observation_save(observation=form.save(commit=False), by=request.user)
            except ValidationError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("The value is recorded."))
                return redirect("council:indicator-detail", pk=indicator.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Only the council's secretariat may record values."))
    series = _series(indicator)
    targets = list(indicator.targets.order_by("target_date"))
    points = [
        (row["observation"].period_end.strftime("%m.%Y"), float(row["observation"].value))
        for row in series
    ]
    chart = charts.line_chart(
        points, title=str(indicator), target=float(targets[-1].value) if targets else None
    )
    status = 422 if form is not None and form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "council/indicator_detail.html",
        {
            "indicator": indicator,
            "series": series,
            "targets": targets,
            "chart": chart,
            "form": form,
            "can_edit": can_edit,
        },
        status=status,
    )
