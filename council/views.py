"""The staff app: small views that ask the policy, call a service, and render.

An htmx request gets the page's partial (``template#partial``), any other request the
whole page, so every htmx endpoint also works without JavaScript.
"""

from __future__ import annotations

import copy
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, F, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language
from django_htmx.http import reswap, retarget

from . import forms, services
from .documents import ical, tables, word
from .filters import CommitmentFilter
from .history import commitment_history_rows, merged_history_rows
from .i18n import remember_language
from .models import (
    Agency,
    AgendaItem,
    Attachment,
    CoChair,
    Commitment,
    Council,
    Indicator,
    Observation,
    Participant,
    Protocol,
    ProtocolFile,
    Reminder,
    ReminderMute,
    Responsibility,
    Review,
    Session,
    Signatory,
    StatusUpdate,
    User,
)
from .paging import keyset_page
from .policies import policy_for
from .querysets import LIST_ORDERINGS, attach_responsible, local_today
from .reporting import charts, review
from .reporting import figures as reports
from .text import download_name

PAGE_SIZE = 25
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
UPDATES_SHOWN = 50
# A session page lists this many of its commitments and review decisions; the rest are a
# link away (the commitment list by session, the review), not thousands of rows at once.
SESSION_ROWS_SHOWN = 50
DUE_SOON_DAYS = 30
# The list counts matching commitments up to this many ("more than 1000"): an exact
# count of a million rows would cost more than the page itself.
LIST_COUNT_CAP = 1_000


def _partial(request: HttpRequest, template: str, partial: str) -> str:
    return f"{template}#{partial}" if request.htmx else template


def _form_error(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names when the form has that
    field, otherwise at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _visible_commitments(request: HttpRequest):
    return policy_for(request).visible_commitments()


def _get_session(request: HttpRequest, pk: int, *, edit: bool = False) -> Session:
    """The session if the user may see it (404 otherwise) and, for ``edit``, change it (403)."""
    session = get_object_or_404(
        Session.objects.select_related("council", "country", "host_party").filter(
            council__in=policy_for(request).council_ids()
        ),
        pk=pk,
    )
    if edit and not policy_for(request).can_edit_session(session):
        raise PermissionDenied(_("Only the council's secretariat may change this session."))
    return session


def _get_commitment(request: HttpRequest, pk: int) -> Commitment:
    return get_object_or_404(
        _visible_commitments(request)
        .select_related(
            "session__council", "sector", "agenda_item", "carries_over__session__council"
        )
        .prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.select_related("agency__party", "party"),
            )
        ),
        pk=pk,
    )


# Sign-in and profile ---------------------------------------------------------------


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    # The form checks the input against a copy: request.user changes only through the service.
    form = forms.ProfileForm(request.POST or None, instance=copy.copy(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_save_profile(
                user=request.user,
                by=request.user,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                email=form.cleaned_data["email"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your profile is saved."))
            response = redirect("council:profile")
            remember_language(request, response, user.language)
            return response
    context = {
        "form": form,
        "feed_councils": policy_for(request).councils().order_by("name"),
        # request.user comes without its agency: one query here, not two lazy ones.
        "agency": Agency.objects.select_related("party").filter(pk=request.user.agency_id).first(),
    }
    return render(request, "council/profile.html", context, status=422 if form.errors else 200)


@login_not_required  # the sign-in page has the switcher too
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` (its safe ``next`` redirect); the choice is remembered."""
    response = django_set_language(request)
    remember_language(request, response, request.POST.get("language", ""))
    return response


# Dashboard ---------------------------------------------------------------------------


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    policy = policy_for(request)
    today = local_today()
    visible = _visible_commitments(request)
    mine = policy.my_commitments()
    counts = mine.deadline_counts(today, DUE_SOON_DAYS)
    mine_open = mine.open().for_list().with_overdue_flag(today)
    context = {
        "today": today,
        "my_open": mine_open.order_by(F("deadline").asc(nulls_last=True), "pk")[:10],
        "my_open_count": counts["open"],
        "overdue": mine_open.overdue(today).order_by("deadline")[:10],
        "overdue_count": counts["overdue"],
        "due_soon": mine_open.due_within(DUE_SOON_DAYS, today).order_by("deadline")[:10],
        "due_soon_count": counts["due_soon"],
        "awaiting_review": (
            visible.for_list()
            .with_overdue_flag(today)
            .filter(status=Commitment.Status.COMPLETION_REPORTED)
            .order_by("pk")[:10]
            if policy.is_manager
            else []
        ),
        "next_sessions": Session.objects.upcoming(today)
        .filter(council__in=policy.council_ids())
        .select_related("council")[:5],
        "recent_updates": StatusUpdate.objects.filter(
            commitment__session__council__in=policy.council_ids()
        )
        .select_related("commitment__session__council", "author", "agency__party")
        .order_by("-created_at", "-pk")[:8],
    }
    return render(request, "council/dashboard.html", context)


# Councils ------------------------------------------------------------------------


@require_GET
def council_list(request: HttpRequest) -> HttpResponse:
    councils = (
        policy_for(request)
        .councils()
        .select_related("parent")
        .prefetch_related("parties")
        .annotate(
            session_count=Count("sessions", distinct=True),
            # Counted per council from the partial index of open commitments (its
            # council column): joining every commitment of every session took seconds
            # at a million commitments.
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
        "sessions": council.sessions.select_related("host_party", "protocol")
        .annotate(commitment_count=Count("commitments"))
        .order_by("-number"),
        "status_counts": status_counts,
        "overdue_count": Commitment.objects.for_council(council).overdue(today).count(),
        "can_create_session": policy.can_create_session(council),
        "indicators": council.indicators.prefetch_related("observations"),
        "events": council.events.select_related("host_party").order_by("-year", "title")[:10],
    }
    return render(request, "council/council_detail.html", context)


# Sessions ------------------------------------------------------------------------


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
    return render(request, "council/session_form.html", {"form": form, "council": council})


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


def _protocol_history(protocol: Protocol) -> list:
    """The protocol's history with its signatories' and files': uploads and withdrawals."""
    return merged_history_rows(
        [
            (protocol.history.all(), None),
            (
                Signatory.history.filter(protocol_id=protocol.pk).select_related("person"),
                lambda r: _("Signatory %(person)s") % {"person": r.person},
            ),
            (
                ProtocolFile.history.filter(protocol_id=protocol.pk),
                lambda r: _("File %(name)s") % {"name": r.original_name},
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


# Agenda: add, edit and reorder in place ----------------------------------------------


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


# Commitments ---------------------------------------------------------------------


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
    )
    attach_responsible(page.object_list)
    query = request.GET.copy()
    for name in ("page", "after", "before", "last"):
        query.pop(name, None)
    context = {"filter": commitment_filter, "page": page, "query": query.urlencode()}
    return render(request, _partial(request, "council/commitment_list.html", "results"), context)


def _commitment_context(request: HttpRequest, commitment: Commitment, form=None) -> dict:
    policy = policy_for(request)
    moves = policy.allowed_status_moves(commitment)
    updates = (
        commitment.updates.select_related(
            "author", "agency__party", "session__council", "withdrawn_by"
        )
        .prefetch_related("attachments")
        .order_by("-created_at", "-pk")
    )
    can_report = policy.can_report_progress(commitment)
    if form is None and (can_report or moves):
        form = forms.StatusUpdateForm(moves=moves)
    # The newest reports; a long history is opened in full on request (?all=1).
    updates = list(updates if request.GET.get("all") == "1" else updates[:UPDATES_SHOWN])
    for update in updates:
        update.may_withdraw = not update.is_withdrawn and policy.can_withdraw_report(
            update, commitment
        )
    return {
        "commitment": commitment,
        "is_overdue": commitment.is_overdue(),
        "can_edit": policy.can_edit_commitment(commitment),
        "can_report": can_report,
        "update_form": form,
        "updates": updates,
        "updates_count": commitment.updates.count(),
        "updates_shown": UPDATES_SHOWN,
    }


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
    return render(request, "council/commitment_detail.html", context)


@require_POST
def commitment_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a progress report and/or change the status (htmx form on the commitment page)."""
    commitment = _get_commitment(request, pk)
    policy = policy_for(request)
    moves = policy.allowed_status_moves(commitment)
    if not policy.can_report_progress(commitment) and not moves:
        raise PermissionDenied(
            _("Only the responsible agencies and the secretariat may report on this commitment.")
        )
    form = forms.StatusUpdateForm(request.POST, request.FILES, moves=moves)
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


# Protocols ------------------------------------------------------------------------


def _get_protocol(request: HttpRequest, session_pk: int) -> Protocol:
    session = _get_session(request, session_pk)
    try:
        return Protocol.objects.select_related("session__council").get(session=session)
    except Protocol.DoesNotExist:
        raise Http404(_("No protocol is recorded for this session yet.")) from None


@require_GET
def protocol_detail(
    request: HttpRequest, session_pk: int, print_view: bool = False
) -> HttpResponse:
    session = _get_session(request, session_pk)
    protocol = Protocol.objects.filter(session=session).select_related("session__council").first()
    policy = policy_for(request)
    if protocol is None:
        if print_view:
            raise Http404(_("No protocol is recorded for this session yet."))
        return render(
            request,
            "council/protocol_detail.html",
            {"session": session, "protocol": None, "can_edit": policy.can_edit_session(session)},
        )
    context = {
        "session": session,
        "protocol": protocol,
        "can_edit": policy.can_edit_session(session),
        "signatories": protocol.signatories.filter(withdrawn_at__isnull=True).select_related(
            "person", "party"
        ),
        "files": protocol.files.select_related("uploaded_by", "withdrawn_by"),
        "clauses": session.commitments.for_list().order_by("pk"),
        "file_form": forms.ProtocolFileForm(protocol=protocol),
        "history": _protocol_history(protocol),
    }
    template = "council/protocol_print.html" if print_view else "council/protocol_detail.html"
    return render(request, template, context)


@require_GET
def protocol_print(request: HttpRequest, session_pk: int) -> HttpResponse:
    return protocol_detail(request, session_pk, print_view=True)


@require_http_methods(["GET", "POST"])
def protocol_edit(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = _get_session(request, session_pk, edit=True)
    protocol = Protocol.objects.filter(session=session).first() or Protocol(session=session)
    data = request.POST if request.method == "POST" else None
    form = forms.ProtocolForm(data, instance=protocol, session=session)
    formset = forms.SignatoryFormSet(
        data,
        instance=protocol,
        # Withdrawn signatories stay in the history, not on the form.
        queryset=Signatory.objects.filter(withdrawn_at__isnull=True),
        council=session.council,
        prefix="signatories",
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.protocol_save(
                protocol=form.save(commit=False),
                signatories=formset.save(commit=False),
                by=request.user,
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The protocol is saved."))
            return redirect("council:protocol-detail", session_pk=session.pk)
    conflict = form.is_bound and any(
        e.code == "conflict" for e in form.non_field_errors().as_data()
    )
    return render(
        request,
        "council/protocol_form.html",
        {"form": form, "formset": formset, "session": session, "protocol": protocol},
        status=409 if conflict else 200,
    )


@require_POST
def protocol_file_upload(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = _get_session(request, session_pk, edit=True)
    protocol = _get_protocol(request, session.pk)
    form = forms.ProtocolFileForm(request.POST, request.FILES, protocol=protocol)
    if form.is_valid():
        try:
            upload = services.protocol_file_upload(
                protocol_file=form.save(commit=False),
                upload=form.cleaned_data["file"],
                by=request.user,
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("%(name)s is uploaded.") % {"name": upload.original_name})
            return redirect("council:protocol-detail", session_pk=session.pk)
    context = {
        "session": session,
        "protocol": protocol,
        "can_edit": True,
        "signatories": protocol.signatories.filter(withdrawn_at__isnull=True).select_related(
            "person", "party"
        ),
        "files": protocol.files.select_related("uploaded_by", "withdrawn_by"),
        "clauses": session.commitments.for_list().order_by("pk"),
        "file_form": form,
        "history": _protocol_history(protocol),
    }
    return render(request, "council/protocol_detail.html", context, status=422)


def _download(stored_file, name: str) -> FileResponse:
    try:
        handle = stored_file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage.")) from None
    response = FileResponse(handle, as_attachment=True, filename=download_name(name))
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _attachment(response: HttpResponse, name: str, *, inline: bool = False) -> HttpResponse:
    """Name the file ``response`` carries. Django's header helper quotes an ASCII name and
    writes any other as RFC 5987 ``filename*`` (Cyrillic, dashes); ``download_name``
    has already made it one line with no quote or path in it."""
    response["Content-Disposition"] = content_disposition_header(not inline, download_name(name))
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _site_url(request: HttpRequest) -> str:
    """The address this request came to (its host is checked against ALLOWED_HOSTS), for
    links in what it builds; SITE_URL is for e-mails sent where there is no request."""
    return request.build_absolute_uri("/")


@require_GET
def protocol_file_download(request: HttpRequest, pk: int) -> FileResponse:
    upload = get_object_or_404(
        ProtocolFile.objects.filter(
            protocol__session__council__in=policy_for(request).council_ids()
        ),
        pk=pk,
    )
    return _download(upload.file, upload.original_name)


@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(
        Attachment.objects.filter(
            update__commitment__session__council__in=policy_for(request).council_ids()
        ),
        pk=pk,
    )
    return _download(attachment.file, attachment.original_name)


# Error pages --------------------------------------------------------------------------


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else _("You may not do this.")
    return render(request, "403.html", {"message": message}, status=403)


# Implementation review ------------------------------------------------------------------


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
    content = word.review_docx(session, context["groups"], context["by"])
    name = _("%(council)s, session %(number)s – implementation review") % {
        "council": session.council.short_name or session.council.name,
        "number": session.number,
    }
    return _attachment(HttpResponse(content, content_type=DOCX), f"{name}.docx")


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


# Notifications ---------------------------------------------------------------------------


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    items = (
        Reminder.objects.filter(recipient=request.user, status=Reminder.Status.SENT)
        .select_related("commitment__session__council", "session__council", "council")
        .order_by("-sent_at", "-pk")
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    policy = policy_for(request)
    muted = set(ReminderMute.objects.filter(user=request.user).values_list("council_id", flat=True))
    councils = [(council, council.pk in muted) for council in policy.councils().order_by("name")]
    return render(request, "council/notification_list.html", {"page": page, "councils": councils})


@require_POST
def notifications_mark_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_read(user=request.user, by=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("council:notification-list")


@require_POST
def reminder_mute(request: HttpRequest, council_pk: int) -> HttpResponse:
    council = get_object_or_404(policy_for(request).councils(), pk=council_pk)
    mute = request.POST.get("mute") == "1"
    if mute:
        services.reminder_mute(user=request.user, council=council, by=request.user)
        messages.success(request, _("You will receive no reminders about %(c)s.") % {"c": council})
    else:
        services.reminder_unmute(user=request.user, council=council, by=request.user)
        messages.success(request, _("Reminders about %(c)s are on again.") % {"c": council})
    return redirect("council:notification-list")


# Reporting -------------------------------------------------------------------------------


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
    # Who may see what: managers see every council; others their own councils.
    scope = "all" if policy.is_manager else ",".join(map(str, sorted(policy.council_ids_set)))
    figures = reports.figures(report, scope=scope)
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
    }
    for index, (key, title, bars, rate) in enumerate(context["charts"]):
        context["charts"][index] = (
            key,
            title,
            bars,
            rate,
            charts.bar_chart(bars, title=str(title), show_rate=rate),
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
    if fmt == "csv":
        response = StreamingHttpResponse(
            tables.csv_stream(rows, _site_url(request)), content_type="text/csv; charset=utf-8"
        )
    else:
        response = FileResponse(
            tables.xlsx_file(rows, _site_url(request)),
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
    return _attachment(
        HttpResponse(word.decisions_docx(session), content_type=DOCX), f"{name}.docx"
    )


# Indicators ------------------------------------------------------------------------------


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


# Calendar feeds --------------------------------------------------------------------------


def _feed_user(token: str) -> User:
    try:
        return User.objects.get(calendar_token=token, is_active=True)
    except User.DoesNotExist:
        raise Http404(_("This calendar link is not valid; it may have been reset.")) from None


def _ics(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    return _attachment(response, f"{name}.ics", inline=True)


@login_not_required
@require_GET
def calendar_sessions(request: HttpRequest, token: str, council_pk: int) -> HttpResponse:
    user = _feed_user(token)
    council = get_object_or_404(policy_for(user).councils(), pk=council_pk)
    sessions = council.sessions.select_related("council").order_by("start_date")
    return _ics(
        ical.sessions_feed(council, sessions, site_url=_site_url(request)),
        _("%(council)s – sessions") % {"council": council},
    )


@login_not_required
@require_GET
def calendar_deadlines(request: HttpRequest, token: str) -> HttpResponse:
    user = _feed_user(token)
    commitments = policy_for(user).my_commitments()
    name = _("Deadlines — %(user)s") % {"user": user}
    feed = ical.deadlines_feed(name, ical.open_dated(commitments), site_url=_site_url(request))
    return _ics(feed, _("Deadlines"))


@require_POST
def calendar_reset(request: HttpRequest) -> HttpResponse:
    services.user_reset_calendar_token(user=request.user, by=request.user)
    messages.success(request, _("New calendar links are ready; the old ones no longer work."))
    return redirect(reverse("council:profile") + "#calendar")


# Withdrawals: nothing recorded is deleted from the staff app ------------------------------


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


@require_POST
def protocol_file_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(ProtocolFile.objects.select_related("protocol"), pk=pk)
    session = _get_session(request, upload.protocol.session_id, edit=True)
    upload.protocol.session = session
    try:
        services.protocol_file_withdraw(
            upload=upload, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is withdrawn.") % {"name": upload.original_name})
    return redirect("council:protocol-detail", session_pk=session.pk)
