"""Reports for managers, and the exports of lists and decisions."""

from __future__ import annotations

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..documents import tables, word
from ..filters import CommitmentFilter
from ..models import (
    Council,
)
from ..policies import policy_for
from ..querysets import local_today
from ..reporting import charts
from ..reporting import figures as reports
from ..versions import normalise
from ._access import _attachment, _docx, _get_session, _site_url, _visible_commitments


@require_GET
def report_dashboard(request: HttpRequest) -> HttpResponse:
    """Managers' figures, across councils or for one (``?council=``); every chart links to
    the filtered commitment list behind it."""
    policy = policy_for(request)
    councils = policy.councils().order_by("name")
    council = None
    if request.GET.get("council"):
        try:
            council = councils.get(pk=int(request.GET["council"]))
        except (ValueError, Council.DoesNotExist):
            raise Http404(_("No such council.")) from None
    commitments = _visible_commitments(request)
    if council:
        commitments = commitments.for_council(council)
    report = reports.Report(commitments, council.pk if council else None, local_today())
    # The councils the figures add up: the one chosen, or every one the user may see.
    council_ids = [council.pk] if council else councils.values_list("pk", flat=True)
    figures = reports.figures(report, council_ids=council_ids)
    trend = figures.trend
    context = {
        "councils": councils,
        "council": council,
        "figures": figures,
        "refresh_minutes": settings.REPORT_CACHE_SECONDS // 60,
        "charts": [
            ("status", _("Commitments by status"), figures.by_status, False),
            ("sector", _("Open commitments by sector"), figures.by_sector, False),
            ("party", _("Open commitments by responsible party"), figures.by_party, False),
            ("agency", _("Agencies with the most open commitments"), figures.by_agency, False),
            ("age", _("Overdue commitments by days overdue"), figures.overdue_ages, False),
            (
                "ontime-session",
                _("Completed on time, by session"),
                figures.on_time_by_session,
                True,
            ),
            ("ontime-agency", _("Completed on time, by agency"), figures.on_time_by_agency, True),
            (
                "punctuality",
                _("Completed: on time, on time after an extension, late"),
                figures.punctuality,
                True,
            ),
        ],
        "overdue": figures.overdue,
        "trend": trend,
        "trend_chart": charts.column_chart(
            trend,
            [
                ("adopted", _("Adopted")),
                ("completed", _("Completed")),
                ("carried", _("Carried over")),
            ],
            title=_("Commitments per session"),
        ),
        "trend_table": charts.data_table(
            _("Adopted, completed and carried over, per session"),
            [_("Session"), _("Adopted"), _("Completed"), _("Carried over")],
            [(r["url"], r["label"], r["adopted"], r["completed"], r["carried"]) for r in trend],
        ),
    }
    for index, (key, title, bars, rate) in enumerate(context["charts"]):
        context["charts"][index] = (
            key,
            title,
            bars,
            rate,
            charts.bar_chart(bars, title=str(title), show_rate=rate),
            charts.bars_table(bars, title=str(title), show_rate=rate),
        )
    return render(request, "council/report_dashboard.html", context)


@require_GET
def commitment_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The commitment list as filtered in the URL, as XLSX or CSV, streamed."""
    queryset = _visible_commitments(request).for_list()
    commitment_filter = CommitmentFilter(request.GET or None, queryset=queryset, request=request)
    if commitment_filter.is_bound and not commitment_filter.is_valid():
        return HttpResponse(
            _("Some filters are not valid: %(e)s") % {"e": commitment_filter.errors.as_text()},
            status=400,
        )
    rows = commitment_filter.qs
    if not request.GET.get("ordering"):
        rows = rows.order_by("-session__start_date", "session_id", "pk")
    name = _("Commitments %(date)s") % {"date": timezone.localdate().isoformat()}
    # Titles and texts in one language only when asked (``?lang=kk``); else as recorded.
    texts_in = normalise(request.GET.get("lang"))
    if fmt == "csv":
        response = StreamingHttpResponse(
            tables.csv_stream(rows, _site_url(request), texts_in),
            content_type="text/csv; charset=utf-8",
        )
    else:
        response = FileResponse(
            tables.xlsx_file(rows, _site_url(request), texts_in),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    return _attachment(response, f"{name}.{fmt}")


@require_GET
def session_decisions_export(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    name = _("%(council)s, session %(number)s – decisions") % {
        "council": session.council.short_name or session.council.name,
        "number": session.number,
    }
    document = word.decisions_docx(
        session, language=request.GET.get("lang"), beside=request.GET.getlist("beside")
    )
    return _docx(document, name)
