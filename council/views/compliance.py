"""A council's compliance page: each party's score per session, sector and agency, the
method, the recorded scores with the secretariat's overrides, and the Excel export."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import forms, services
from ..documents import compliance as compliance_xlsx
from ..models import ComplianceScore, Council, Session
from ..policies import policy_for
from ..querysets import local_today
from ..reporting import charts
from ..reporting import compliance as figures
from ._access import _attachment, _form_error, _get_session

SCORES_PER_PAGE = 50


def _get_council(request: HttpRequest, pk: int) -> Council:
    return get_object_or_404(policy_for(request).councils(), pk=pk)


def _trend_chart(council: Council, overview: figures.Overview):
    url = reverse("council:council-compliance", args=[council.pk])
    rows = [
        {
            "label": _("Session %(n)s") % {"n": row.label},
            "url": f"{url}?session={row.key}#scores",
            **{
                f"p{party.pk}": round(row.cells[party.pk].percent)
                if party.pk in row.cells and row.cells[party.pk].percent is not None
                else 0
                for party in overview.parties
            },
        }
        for row in overview.by_session
    ]
    series = [(f"p{party.pk}", str(party)) for party in overview.parties]
    return charts.column_chart(rows, series, title=str(_("Compliance by session, %")))


def _scores_page(request: HttpRequest, council: Council):
    """The recorded scores, a page at a time, narrowed to one adopting session."""
    scores = figures.scores(council)
    session_pk = request.GET.get("session", "")
    if session_pk.isdigit():
        scores = scores.filter(commitment__session_id=int(session_pk))
    else:
        session_pk = ""
    # The page's ids first, sorted from the commitments' index alone (migration 0039),
    # then its rows: sorting the scores with their commitments' whole rows took 0.2 s
    # for a council's 17,000 scores at a million commitments.
    page = Paginator(scores.values_list("pk", flat=True), SCORES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    found = scores.in_bulk(list(page.object_list))
    page.object_list = [found[pk] for pk in page.object_list]
    for listed in page.object_list:
        listed.row_form = None  # a row's own refused form, set by compliance_override
    return page, session_pk


@require_GET
def council_compliance(request: HttpRequest, pk: int) -> HttpResponse:
    council = _get_council(request, pk)
    policy = policy_for(request)
    overview = figures.overview(council)
    page, session_pk = _scores_page(request, council)
    may_override = policy.can_override_compliance(council.pk)
    # Held sessions that review earlier ones (the council's first reviews nothing).
    held = (
        Session.objects.filter(council=council, start_date__lte=local_today())
        .filter(
            number__gt=Session.objects.filter(council=council)
            .order_by("number")
            .values("number")[:1]
        )
        .order_by("-number")
    )
    context = {
        "council": council,
        "overview": overview,
        "trend_chart": _trend_chart(council, overview),
        "page": page,
        "session_pk": session_pk,
        "may_override": may_override,
        "override_form": forms.ComplianceOverrideForm() if may_override else None,
        "row_form": None,
        "just_saved": False,
        "override_errors": None,
        # The latest sessions the secretariat may assess at (any other from its review).
        "assessable": [s for s in held[:2] if policy.can_assess_compliance(s)],
        "query": f"session={session_pk}" if session_pk else "",
        "refresh_minutes": settings.REPORT_CACHE_SECONDS // 60,
    }
    return render(request, "council/compliance.html", context)


@require_POST
def compliance_assess(request: HttpRequest, pk: int) -> HttpResponse:
    """Record (or refresh) the scores of the commitments a session reviews."""
    session = _get_session(request, pk)
    refusal = policy_for(request).compliance_assess_refusal(session)
    if refusal:
        raise PermissionDenied(refusal)
    counts = services.compliance_assess_session(session=session, by=request.user)
    messages.success(
        request,
        _(
            "Compliance assessed at %(session)s: %(created)s new, %(updated)s updated, "
            "%(unchanged)s unchanged."
        )
        % {"session": session, **counts},
    )
    if request.POST.get("back") == "review":
        return redirect("council:session-review", pk=session.pk)
    return redirect("council:council-compliance", pk=session.council_id)


@require_POST
def compliance_override(request: HttpRequest, pk: int) -> HttpResponse:
    """Set (or clear) one party's score on one commitment, with a reason (an htmx row)."""
    score = get_object_or_404(
        ComplianceScore.objects.select_related(
            "commitment__council", "party", "session", "overridden_by"
        ).filter(commitment__council__in=policy_for(request).council_ids()),
        pk=pk,
    )
    if not policy_for(request).can_override_compliance(score.commitment.council_id):
        raise PermissionDenied(_("Only the council's secretariat may set a compliance score."))
    form = forms.ComplianceOverrideForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            services.compliance_override(
                score=score,
                value=form.cleaned_data["value"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            _form_error(form, error)
            status = 422
        else:
            if not request.htmx:
                messages.success(request, _("Score saved for %(s)s.") % {"s": score})
                return redirect(
                    reverse("council:council-compliance", args=[score.commitment.council_id])
                    + f"?session={score.commitment.session_id}#scores"
                )
            score.overridden_by = request.user if score.override is not None else None
            form = None
    else:
        status = 422
    score.row_form = None
    context = {
        "score": score,
        "may_override": True,
        "row_form": form,
        "override_form": forms.ComplianceOverrideForm(),
        "just_saved": form is None,
    }
    if request.htmx:
        return render(request, "council/compliance.html#score-row", context, status=status)
    council = score.commitment.council
    page, session_pk = _scores_page(request, council)
    for listed in page.object_list:
        listed.row_form = form if listed.pk == score.pk else None
    overview = figures.overview(council)
    context.update(
        row_form=None,
        council=council,
        overview=overview,
        trend_chart=_trend_chart(council, overview),
        page=page,
        session_pk=session_pk,
        override_errors={"score": score, "form": form},
        assessable=[],
        query=f"session={session_pk}" if session_pk else "",
        refresh_minutes=settings.REPORT_CACHE_SECONDS // 60,
    )
    return render(request, "council/compliance.html", context, status=status)


@require_GET
def compliance_export(request: HttpRequest, pk: int) -> HttpResponse:
    council = _get_council(request, pk)
    overview = figures.overview(council)
    name = _("%(council)s – compliance %(date)s") % {
        "council": council.short_name or council.name,
        "date": timezone.localdate().isoformat(),
    }
    response = FileResponse(
        compliance_xlsx.xlsx_file(council, overview),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return _attachment(response, f"{name}.xlsx")
