"""Commitments: the list, one commitment's page, recording and editing, progress reports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import forms, services
from ..filters import CommitmentFilter
from ..history import commitment_history_rows
from ..models import (
    SILENCE_DAYS,
    Agency,
    Attachment,
    Commitment,
    CommitmentSide,
    Session,
    StatusUpdate,
)
from ..paging import keyset_page
from ..policies import MANAGER_MOVES, policy_for
from ..querysets import LIST_ORDERINGS, attach_responsible, attach_sides
from ._access import (
    LIST_COUNT_CAP,
    PAGE_SIZE,
    UPDATES_SHOWN,
    _download,
    _form_error,
    _get_commitment,
    _get_session,
    _partial,
    _visible_commitments,
)
from .extensions import extension_context
from .nudges import side_panel


@require_GET
def commitment_list(request: HttpRequest) -> HttpResponse:
    queryset = _visible_commitments(request)
    commitment_filter = CommitmentFilter(request.GET or None, queryset=queryset, request=request)
    if commitment_filter.is_bound and not commitment_filter.is_valid():
        rows = queryset.none()
    else:
        rows = commitment_filter.qs
    ordering_name = commitment_filter.ordering_name()
    page = keyset_page(
        rows.for_list_page().with_overdue_flag(),
        LIST_ORDERINGS[ordering_name],
        ordering_name=ordering_name,
        size=PAGE_SIZE,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        last=request.GET.get("last") == "1",
        count_cap=LIST_COUNT_CAP,
        groups=_council_groups(request, commitment_filter),
        sort_apart=commitment_filter.sorts_apart(),
    )
    attach_responsible(page.object_list)
    side_columns = attach_sides(page.object_list)
    query = request.GET.copy()
    for name in ("page", "after", "before", "last"):
        query.pop(name, None)
    context = {
        "filter": commitment_filter,
        "page": page,
        "query": query.urlencode(),
        "side_columns": side_columns,
    }
    return render(request, _partial(request, "council/commitment_list.html", "results"), context)


def _council_groups(request: HttpRequest, commitment_filter: CommitmentFilter):
    """("council_id", the user's councils): the unfiltered list of a user who sees a few
    councils is read council by council (``paging.first_rows``). None for a manager, who
    sees every council (the whole index is theirs), and for a filter or a search, which
    have indexes of their own."""
    policy = policy_for(request)
    if policy.is_manager or commitment_filter.active_count():
        return None
    return ("council_id", policy.council_ids_set)


def _form_moves(policy, commitment: Commitment, side: CommitmentSide | None = None) -> list[str]:
    """The statuses the progress form offers: a reported completion's acceptance and
    return are the review panel's own buttons (with its reason), not a status to pick.

    For a side (a commitment with several), the side's moves, and the moves of the whole
    commitment (cancel, replace) its secretariat may make."""
    if side is not None:
        whole = [to for to in policy.allowed_status_moves(commitment) if to in WHOLE_MOVES]
        moves = policy.allowed_side_moves(side)
        if policy.can_review_side(side):
            reviewed = {to for start, to in MANAGER_MOVES if start == side.status}
            moves = [to for to in moves if to not in reviewed]
        return moves + whole
    moves = policy.allowed_status_moves(commitment)
    if policy.can_review_completion(commitment):
        reviewed = {to for start, to in MANAGER_MOVES if start == commitment.status}
        moves = [to for to in moves if to not in reviewed]
    return moves


WHOLE_MOVES = (Commitment.Status.CANCELLED, Commitment.Status.SUPERSEDED)


def _sides(commitment: Commitment) -> list[CommitmentSide]:
    """The commitment's sides (prefetched), when it has several; none for one party (its
    page stays as it was before sides: the commitment is its one side)."""
    sides = list(commitment.sides.all())
    for side in sides:
        side.commitment = commitment
    return sides if len(sides) > 1 else []


def _chosen_side(request: HttpRequest, policy, sides: list[CommitmentSide]):
    """The side the report form is for: the one asked for (``side`` in the query or the
    form), else the user's own (the only one they may report for), else none (the
    secretariat's report on the whole commitment)."""
    wanted = request.POST.get("side") if request.method == "POST" else request.GET.get("side")
    if wanted:
        found = next((s for s in sides if str(s.pk) == wanted), None)
        if found is not None:
            return found
    mine = [s for s in sides if policy.can_report_for_side(s)]
    if len(mine) == 1 and not policy.can_edit_commitment(sides[0].commitment):
        return mine[0]
    return None


def _commitment_context(request: HttpRequest, commitment: Commitment, form=None) -> dict:
    policy = policy_for(request)
    sides = _sides(commitment)
    side = _chosen_side(request, policy, sides) if sides else None
    moves = _form_moves(policy, commitment, side)
    updates = (
        commitment.updates.select_related(
            "author", "agency__party", "session__council", "withdrawn_by", "side__party"
        )
        .prefetch_related("attachments")
        .order_by("-created_at", "-pk")
    )
    can_report = policy.can_report_progress(commitment)
    side_choices = _side_choices(policy, commitment, sides)
    if form is None and (can_report or moves):
        form = forms.StatusUpdateForm(
            moves=moves, sides=side_choices, initial={"side": side.pk if side else ""}
        )
    # The newest reports; a long history is opened in full on request (?all=1).
    updates = list(updates if request.GET.get("all") == "1" else updates[:UPDATES_SHOWN])
    for update in updates:
        update.may_withdraw = not update.is_withdrawn and policy.can_withdraw_report(
            update, commitment
        )
    # A commitment of several parties is reviewed side by side (``side_cards``).
    can_review = policy.can_review_completion(commitment) and not sides
    return {
        "commitment": commitment,
        "can_review": can_review,
        # The report the reviewer decides on: the newest completion report still standing.
        "reported_update": next(
            (
                u
                for u in updates
                if u.to_status == Commitment.Status.COMPLETION_REPORTED and not u.is_withdrawn
            ),
            None,
        )
        if can_review
        else None,
        "is_overdue": commitment.is_overdue(),
        "can_edit": policy.can_edit_commitment(commitment),
        "can_report": can_report,
        "update_form": form,
        "updates": updates,
        "updates_count": commitment.updates.count(),
        "updates_shown": UPDATES_SHOWN,
        **side_cards(policy, commitment, sides, updates, chosen=side),
        "side_panel": side_panel(request, commitment),
    }


def _side_choices(policy, commitment: Commitment, sides: list[CommitmentSide]):
    """The sides the report form offers (None for a commitment with one side): a focal
    point's own; every side, or the whole commitment, for the secretariat."""
    if not sides:
        return None
    choices = [(s.pk, str(s.party)) for s in sides if policy.can_report_for_side(s)]
    if policy.can_edit_commitment(commitment):
        choices.insert(0, ("", _("The whole commitment (every side)")))
    return choices


def side_cards(policy, commitment, sides, updates, *, chosen=None) -> dict:
    """What the sides' cards show: each side with its latest reports (of those loaded),
    whether it is flagged, and what the reader may do on it."""
    if not sides:
        return {"sides": []}
    flagged = set(
        CommitmentSide.objects.filter(commitment=commitment).flagged().values_list("pk", flat=True)
    )
    for side in sides:
        side.recent = [u for u in updates if u.side_id == side.pk][:3]
        side.flagged = side.pk in flagged
        side.may_report = policy.can_report_for_side(side)
        side.may_review = policy.can_review_side(side)
        side.reported_update = next(
            (
                u
                for u in updates
                if u.side_id == side.pk
                and u.to_status == Commitment.Status.COMPLETION_REPORTED
                and not u.is_withdrawn
            ),
            None,
        )
    return {"sides": sides, "chosen_side": chosen, "silence_days": SILENCE_DAYS}


@require_GET
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _get_commitment(request, pk)
    context = _commitment_context(request, commitment)
    context.update(
        {
            "reviews": commitment.reviews.select_related(
                "session__council", "replacement", "decided_by"
            ),
            "carried_over_by": commitment.carried_over_by.select_related("session__council"),
            "history": commitment_history_rows(commitment, limit=50),
        }
    )
    context.update(extension_context(request, commitment))
    return render(request, "council/commitment_detail.html", context)


@require_POST
def commitment_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a progress report and/or change the status (htmx form on the commitment page)."""
    commitment = _get_commitment(request, pk)
    policy = policy_for(request)
    # Every move the user may make is still taken here (a page loaded before the review
    # panel existed); the form drawn again offers only its own (``_form_moves``).
    sides = _sides(commitment)
    side = _chosen_side(request, policy, sides) if sides else None
    moves = policy.allowed_status_moves(commitment)
    if side is not None:
        moves = policy.allowed_side_moves(side) + [to for to in moves if to in WHOLE_MOVES]
    if not policy.can_report_progress(commitment) and not moves:
        raise PermissionDenied(
            _("Only the responsible agencies and the secretariat may report on this commitment.")
        )
    form = forms.StatusUpdateForm(
        request.POST, request.FILES, moves=moves, sides=_side_choices(policy, commitment, sides)
    )
    if form.is_valid():
        to = form.cleaned_data["to_status"]
        note = form.cleaned_data["note"] or ""
        attachments = (
            [form.cleaned_data["attachment"]] if form.cleaned_data.get("attachment") else []
        )
        agency = (
            Agency.objects.filter(pk=request.user.agency_id).first()
            if policy.is_focal_point
            else None
        )
        try:
            if to:
                services.commitment_change_status(
                    commitment=commitment,
                    to=to,
                    by=request.user,
                    note=note,
                    agency=agency,
                    attachments=attachments,
                    side=None if to in WHOLE_MOVES else side,
                )
                message = _("Status changed to “%(status)s”.") % {
                    "status": Commitment.Status(to).label
                }
            else:
                services.commitment_report_progress(
                    commitment=commitment,
                    by=request.user,
                    note=note,
                    agency=agency,
                    attachments=attachments,
                    side=side,
                )
                message = _("Progress report saved.")
        except ValidationError as error:
            _form_error(form, error)
        else:
            if not request.htmx:
                messages.success(request, message)
                return redirect(commitment)
            commitment = _get_commitment(request, pk)
            context = _commitment_context(request, commitment)
            context["saved_message"] = message
            return render(request, "council/commitment_detail.html#updates", context)
    context = _commitment_context(request, commitment, form=form)
    if request.htmx:
        return render(request, "council/commitment_detail.html#updates", context, status=422)
    context.update({"reviews": commitment.reviews.none(), "carried_over_by": [], "history": []})
    return render(request, "council/commitment_detail.html", context, status=422)


def _review_side(request: HttpRequest, commitment: Commitment) -> CommitmentSide | None:
    """The side a review acts on (``side`` in the form), for a commitment of several
    parties; None for one reviewed as a whole (one party, or no side named)."""
    wanted = request.POST.get("side")
    sides = _sides(commitment)
    if not wanted or not sides:
        return None
    side = next((s for s in sides if str(s.pk) == wanted), None)
    if side is None:
        raise PermissionDenied(_("This side is not one of the commitment's."))
    return side


def _review_refused(
    request: HttpRequest, commitment: Commitment, side: CommitmentSide | None = None
) -> HttpResponse | None:
    """Why this user may not review ``commitment``'s completion (or ``side``'s) now: 403
    when the review is not theirs, a 422 in the panel when it is no longer waiting
    (reviewed meanwhile)."""
    policy = policy_for(request)
    if side is not None and policy.can_review_side(side):
        return None
    if side is None and policy.can_review_completion(commitment):
        return None
    if not policy.is_manager:
        raise PermissionDenied(_("Only a manager may accept or return a reported completion."))
    status = side.get_status_display() if side is not None else commitment.get_status_display()
    message = _("This completion is no longer waiting for a review: it is now “%(status)s”.") % {
        "status": status
    }
    return _review_panel(request, commitment, error=message, side=side)


def _review_panel(
    request: HttpRequest,
    commitment: Commitment,
    *,
    error: str = "",
    reason_error: str = "",
    side: CommitmentSide | None = None,
) -> HttpResponse:
    """The review panel again, refused (422): the error in place, what was typed kept."""
    if error:  # the commitment may have moved meanwhile: show it as it is now
        commitment = _get_commitment(request, commitment.pk)
    context = _commitment_context(request, commitment)
    context.update(
        {
            "review_error": error,
            "reason_error": reason_error,
            "review_reason": request.POST.get("reason", ""),
        }
    )
    if side is not None:
        context["review_side_pk"] = side.pk
        if request.htmx:
            return render(request, "council/includes/sides.html#cards", context, status=422)
    elif request.htmx:
        return render(request, "council/commitment_detail.html#review", context, status=422)
    context.update(
        {
            "reviews": commitment.reviews.select_related(
                "session__council", "replacement", "decided_by"
            ),
            "carried_over_by": commitment.carried_over_by.select_related("session__council"),
            "history": commitment_history_rows(commitment, limit=50),
        }
    )
    return render(request, "council/commitment_detail.html", context, status=422)


def _reviewed(
    request: HttpRequest, commitment: Commitment, message: str, *, side: bool = False
) -> HttpResponse:
    """After a review: the panel goes, and the status, the timeline (with the message)
    and the history are drawn again in place (htmx); without htmx, back to the page. A
    side's review draws the sides' cards again, its panel gone."""
    if not request.htmx:
        messages.success(request, message)
        return redirect(commitment)
    commitment = _get_commitment(request, commitment.pk)
    context = _commitment_context(request, commitment)
    context.update(
        {
            "saved_message": message,
            "reviewed": True,
            "history": commitment_history_rows(commitment, limit=50),
        }
    )
    if side:
        return render(request, "council/includes/sides.html#side_reviewed", context)
    return render(request, "council/commitment_detail.html#reviewed", context)


@require_POST
def commitment_accept_completion(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept a reported completion (the manager's review panel, or a side's)."""
    commitment = _get_commitment(request, pk)
    side = _review_side(request, commitment)
    refused = _review_refused(request, commitment, side)
    if refused is not None:
        return refused
    try:
        services.commitment_accept_completion(
            commitment=commitment, by=request.user, note=request.POST.get("note", ""), side=side
        )
    except ValidationError as error:
        return _review_panel(request, commitment, error=" ".join(error.messages), side=side)
    if side is not None:
        message = _("Completion accepted for the side of %(party)s.") % {"party": side.party}
    else:
        message = _("Completion accepted: the commitment is completed.")
    return _reviewed(request, commitment, message, side=side is not None)


@require_POST
def commitment_return_completion(request: HttpRequest, pk: int) -> HttpResponse:
    """Return a reported completion with a reason (the manager's review panel, or a
    side's)."""
    commitment = _get_commitment(request, pk)
    side = _review_side(request, commitment)
    refused = _review_refused(request, commitment, side)
    if refused is not None:
        return refused
    try:
        services.commitment_return_completion(
            commitment=commitment, by=request.user, reason=request.POST.get("reason", ""), side=side
        )
    except ValidationError as error:
        if hasattr(error, "error_dict") and "reason" in error.error_dict:
            return _review_panel(
                request,
                commitment,
                reason_error=" ".join(error.message_dict["reason"]),
                side=side,
            )
        return _review_panel(request, commitment, error=" ".join(error.messages), side=side)
    if side is not None:
        message = _("Completion returned for the side of %(party)s, with your reason.") % {
            "party": side.party
        }
    else:
        message = _("Completion returned: the commitment is in progress again, with your reason.")
    return _reviewed(request, commitment, message, side=side is not None)


@require_http_methods(["GET", "POST"])
def commitment_create(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = _get_session(request, session_pk, edit=True)
    return _commitment_form(request, session, Commitment(session=session))


@require_http_methods(["GET", "POST"])
def commitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _get_commitment(request, pk)
    if not policy_for(request).can_edit_commitment(commitment):
        raise PermissionDenied(_("Only the council's secretariat may edit this commitment."))
    return _commitment_form(request, commitment.session, commitment)


def _commitment_form(
    request: HttpRequest, session: Session, commitment: Commitment
) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = forms.CommitmentForm(data, instance=commitment, session=session)
    formset = forms.ResponsibilityFormSet(
        data, instance=commitment, council=session.council, prefix="agencies"
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        created = commitment.pk is None
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if created:
                commitment = services.commitment_create(
                    session=session,
                    fields=fields,
                    responsibilities=formset.responsibilities(),
                    by=request.user,
                )
            else:
                services.commitment_edit(
                    commitment=commitment,
                    fields=fields,
                    responsibilities=formset.responsibilities(),
                    version=form.cleaned_data.get("version"),
                    by=request.user,
                )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("Commitment recorded.") if created else _("Commitment saved.")
            )
            return redirect(commitment)
    conflict = form.is_bound and any(
        e.code == "conflict" for e in form.non_field_errors().as_data()
    )
    return render(
        request,
        "council/commitment_form.html",
        {
            "form": form,
            "formset": formset,
            "session": session,
            "commitment": commitment,
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(
        Attachment.objects.filter(
            update__commitment__session__council__in=policy_for(request).council_ids()
        ),
        pk=pk,
    )
    return _download(attachment.file, attachment.original_name)


@require_POST
def status_update_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    update = get_object_or_404(StatusUpdate, pk=pk)
    commitment = _get_commitment(request, update.commitment_id)  # 404 unless visible
    update.commitment = commitment
    try:
        services.status_update_withdraw(
            update=update, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The report is withdrawn; it stays in the record, struck through.")
        )
    return redirect(reverse("council:commitment-detail", args=[commitment.pk]) + "#updates")
