"""The review of implementation: what a session decides on earlier commitments."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import forms, services
from ..documents import word
from ..models import (
    Session,
)
from ..policies import policy_for
from ..reporting import review
from ._access import _docx, _get_session


def _review_by(request: HttpRequest) -> str:
    by = request.GET.get("by", review.BY_SECTOR)
    return by if by in (review.BY_SECTOR, review.BY_AGENCY) else review.BY_SECTOR


def _review_context(request: HttpRequest, session: Session) -> dict:
    """One page of the review: the summary and the group index (aggregates), then the
    rows of the page only. Everything comes from the URL: ``by``, ``group``,
    ``undecided`` and ``page``."""
    by = _review_by(request)
    index = review.group_index(session, by)
    keys = {g.key for g in index}
    group = request.GET.get("group", "")
    group = group if group in keys else ""
    undecided = request.GET.get("undecided") == "1"
    shown = [g for g in index if not group or g.key == group]
    sizes = [(g.key, g.undecided if undecided else g.total) for g in shown]
    # The index already counts the rows: the paginator needs no COUNT query, and the page
    # reads only the groups it shows.
    paginator = Paginator(range(sum(size for _, size in sizes)), review.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = review.filtered(review.rows(session, by), undecided=undecided)
    page_items, continued = review.window(rows, by, sizes, page.start_index() - 1, review.PAGE_SIZE)
    summary = review.summary(session)
    policy = policy_for(request)
    may_decide = policy.can_decide_review(session)
    query = {
        "by": by,
        **({"group": group} if group else {}),
        **({"undecided": "1"} if undecided else {}),
    }
    groups = review.page_groups(session, page_items, continued=continued)
    for shown in groups:
        for row in shown.rows:
            row.row_form = None  # a row's own form with errors, set by session_review_decide
    return {
        "session": session,
        "by": by,
        "groups": groups,
        "row_form": None,
        "decision_errors": None,
        "summary": summary,
        "statuses": review.status_counts(summary),
        "index": index,
        "group": group,
        "undecided": undecided,
        "filtered": bool(group or undecided),
        "page": page,
        "query": urlencode(query),
        "index_query": urlencode({"by": by, **({"undecided": "1"} if undecided else {})}),
        "can_edit": policy.can_edit_session(session),
        "may_decide": may_decide,
        "decision_form": forms.ReviewDecisionForm(session=session) if may_decide else None,
    }


def _review_document_context(request: HttpRequest, session: Session) -> dict:
    """The whole review, every row, for the print view and the Word document."""
    by = _review_by(request)
    return {"session": session, "by": by, "groups": review.all_groups(session, by)}


@require_GET
def session_review(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    return render(request, "council/session_review.html", _review_context(request, session))


@require_GET
def session_review_print(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    return render(
        request,
        "council/session_review_print.html",
        _review_document_context(request, session),
    )


@require_GET
def session_review_export(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    context = _review_document_context(request, session)
    content = word.review_docx(
        session, context["groups"], context["by"], language=request.GET.get("lang")
    )
    name = _("%(council)s, session %(number)s – implementation review") % {
        "council": session.council.short_name or session.council.name,
        "number": session.number,
    }
    return _docx(content, name)


@require_POST
def session_review_decide(request: HttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    """Record the session's decision on one earlier commitment (an htmx row form)."""
    session = _get_session(request, pk)
    refusal = policy_for(request).review_decision_refusal(session)
    if refusal:
        raise PermissionDenied(refusal)
    commitment = get_object_or_404(
        review.reviewed_commitments(session).select_related("session"), pk=commitment_pk
    )
    form = forms.ReviewDecisionForm(request.POST, session=session)
    status = 200
    if form.is_valid():
        try:
            services.review_record_decision(
                commitment=commitment,
                session=session,
                decision=form.cleaned_data["decision"],
                by=request.user,
                note=form.cleaned_data["note"],
                new_deadline=form.cleaned_data["new_deadline"],
                replacement=form.cleaned_data["replacement"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            status = 422
        else:
            if not request.htmx:
                messages.success(request, _("Decision recorded for %(c)s.") % {"c": commitment})
                return redirect("council:session-review", pk=session.pk)
            form = None
    else:
        status = 422
    row = review.load(session, [commitment_pk])[commitment_pk]
    context = {
        "session": session,
        "commitment": row,
        "may_decide": True,
        "row_form": form,
        "decision_form": forms.ReviewDecisionForm(session=session),
        "just_saved": form is None,
    }
    if request.htmx:
        return render(request, "council/session_review.html#review-row", context, status=status)
    # Without htmx the whole page comes back: the errors at its top (the row may be on
    # another page of the review) and in the row's own form when it is on this page.
    full = _review_context(request, session)
    for group in full["groups"]:
        for listed in group.rows:
            if listed.pk == commitment.pk:
                listed.row_form = form
    full["decision_errors"] = {"commitment": row, "form": form}
    return render(request, "council/session_review.html", full, status=status)
