"""Sessions: recording one, its page, participants and agenda (added and reordered in place)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from .. import forms, services
from ..history import merged_history_rows
from ..models import (
    AgendaItem,
    Commitment,
    Participant,
    Protocol,
    Review,
    Session,
)
from ..policies import policy_for
from ._access import SESSION_ROWS_SHOWN, _form_error, _get_session, _partial


@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, council_pk: int) -> HttpResponse:
    council = get_object_or_404(policy_for(request).councils(), pk=council_pk)
    if not policy_for(request).can_create_session(council):
        raise PermissionDenied(_("Only the council's secretariat may add sessions."))
    form = forms.SessionForm(request.POST or None, council=council)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(session=form.save(commit=False), by=request.user)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Session %(session)s is recorded.") % {"session": session})
            return redirect(session)
    # A session already planned (the 14th, say) is recorded on its own page, not as a
    # new one: the form says so and links there, before and after a number is refused.
    planned = council.sessions.filter(status=Session.Status.PLANNED).order_by("number")
    context = {
        "form": form,
        "council": council,
        "planned_sessions": list(planned.select_related("council")),
        "taken_session": form.taken_session() if form.is_bound else None,
    }
    return render(request, "council/session_form.html", context)


@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk, edit=True)
    form = forms.SessionForm(request.POST or None, instance=session, council=session.council)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_edit(session=form.save(commit=False), by=request.user)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The session is saved."))
            return redirect(session)
    return render(
        request,
        "council/session_form.html",
        {"form": form, "council": session.council, "session": session},
    )


def _session_context(request: HttpRequest, session: Session) -> dict:
    policy = policy_for(request)
    return {
        "session": session,
        "can_edit": policy.can_edit_session(session),
        "agenda_items": session.agenda_items.filter(withdrawn_at__isnull=True)
        .select_related("sector")
        .prefetch_related("speakers"),
    }


def _session_history(session: Session) -> list:
    """The session's history with its participants' and agenda items', before → after:
    additions, corrections, moves and withdrawals."""
    return merged_history_rows(
        [
            (session.history.all(), None),
            (
                Participant.history.filter(session_id=session.pk).select_related("person"),
                lambda r: _("Participant %(person)s") % {"person": r.person},
            ),
            (
                AgendaItem.history.filter(session_id=session.pk),
                lambda r: _("Agenda item “%(title)s”") % {"title": r.title},
            ),
        ]
    )


def _first_rows(name: str, rows, shown: int = SESSION_ROWS_SHOWN) -> dict:
    """``name``: the first ``shown`` rows; ``name_total``: how many there are (when there
    are more, the page links to the full, paged list)."""
    return {name: list(rows[:shown]), f"{name}_total": rows.count()}


@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    context = _session_context(request, session)
    context.update(
        {
            "participants": session.participants.filter(withdrawn_at__isnull=True).select_related(
                "person", "party", "agency"
            ),
            **_first_rows(
                "commitments",
                session.commitments.for_list().with_overdue_flag().order_by("pk"),
            ),
            "protocol": Protocol.objects.filter(session=session).first(),
            **_first_rows(
                "reviews",
                Review.objects.filter(session=session)
                .select_related("commitment__session__council", "replacement")
                .order_by("commitment__session__number", "commitment__clause", "pk"),
            ),
            "participant_form": forms.ParticipantForm(session=session),
            "history": _session_history(session),
            "agenda_form": forms.AgendaItemForm(session=session),
        }
    )
    if not context["reviews"]:  # the page says how many are waiting for a decision
        context["under_monitoring"] = (
            Commitment.objects.for_council(session.council)
            .monitored()
            .open()
            .filter(session__number__lt=session.number)
            .count()
        )
    return render(request, "council/session_detail.html", context)


@require_http_methods(["GET", "POST"])
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk, edit=True)
    form = forms.ParticipantForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.participant_add(
                participant=form.save(commit=False), by=request.user
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("%(person)s is added.") % {"person": participant.person})
            return redirect(reverse("council:session-detail", args=[session.pk]) + "#participants")
    return render(request, "council/participant_form.html", {"form": form, "session": session})


@require_POST
def participant_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a participant recorded by mistake: off the list, kept in the history."""
    participant = get_object_or_404(Participant.objects.select_related("person"), pk=pk)
    session = _get_session(request, participant.session_id, edit=True)
    participant.session = session
    try:
        services.participant_withdraw(
            participant=participant, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(person)s is withdrawn from the participants; the change history keeps it.")
            % {"person": participant.person},
        )
    return redirect(reverse("council:session-detail", args=[session.pk]) + "#participants")


def _render_agenda(
    request: HttpRequest, session: Session, *, form=None, status: int = 200
) -> HttpResponse:
    context = _session_context(request, session)
    context["agenda_form"] = form or forms.AgendaItemForm(session=session)
    return render(request, "council/session_detail.html#agenda", context, status=status)


@require_http_methods(["GET", "POST"])
def agenda_item_create(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk, edit=True)
    form = forms.AgendaItemForm(request.POST or None, session=session)
    if request.method == "POST":
        if form.is_valid():
            services.agenda_item_create(
                item=form.save(commit=False),
                speakers=form.cleaned_data["speakers"],
                by=request.user,
            )
            if request.htmx:
                return _render_agenda(request, session)
            messages.success(request, _("The agenda item is added."))
            return redirect(reverse("council:session-detail", args=[session.pk]) + "#agenda")
        if request.htmx:
            return _render_agenda(request, session, form=form, status=422)
    return render(request, "council/agenda_item_form.html", {"form": form, "session": session})


@require_http_methods(["GET", "POST"])
def agenda_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem.objects.select_related("session__council"), pk=pk)
    session = _get_session(request, item.session_id, edit=True)
    form = forms.AgendaItemForm(request.POST or None, instance=item, session=session)
    if request.method == "POST" and form.is_valid():
        services.agenda_item_edit(
            item=form.save(commit=False), speakers=form.cleaned_data["speakers"], by=request.user
        )
        if request.htmx:
            return _render_agenda(request, session)
        messages.success(request, _("The agenda item is saved."))
        return redirect(reverse("council:session-detail", args=[session.pk]) + "#agenda")
    template = _partial(request, "council/agenda_item_form.html", "agenda-item-form")
    refused = request.method == "POST"
    response = render(
        request,
        template,
        {"form": form, "session": session, "item": item},
        status=422 if refused else 200,
    )
    if refused and request.htmx:
        # The form targets the whole agenda (a save re-renders it); refused, it goes back
        # into the item's row where it was opened, with what was typed.
        retarget(response, f"#agenda-item-{item.pk}")
        reswap(response, "innerHTML")
    return response


@require_POST
def agenda_item_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem, pk=pk)
    session = _get_session(request, item.session_id, edit=True)
    item.session = session
    try:
        services.agenda_item_move(
            item=item, direction=request.POST.get("direction", ""), by=request.user
        )
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400)
    if request.htmx:
        return _render_agenda(request, session)
    return redirect(reverse("council:session-detail", args=[session.pk]) + "#agenda")
