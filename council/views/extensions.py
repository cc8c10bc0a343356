"""Extension requests on the commitment page: asking for a later deadline, granting or
refusing it, withdrawing one's own request. Each answers an htmx request with the panel
(``council/includes/extension_panel.html``); a refused form comes back in place (422)
with what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import forms, services
from ..history import commitment_history_rows
from ..models import Commitment, ExtensionRequest, Party
from ..policies import policy_for
from ._access import _form_error, _get_commitment

PANEL = "council/includes/extension_panel.html"


def extension_context(
    request: HttpRequest, commitment: Commitment, *, form=None, error: str = "", **extra
) -> dict:
    """What the extension panel shows: the requests (newest first), who may decide or
    withdraw each, and the request form for those who may ask."""
    policy = policy_for(request)
    requests = list(
        commitment.extension_requests.select_related("party", "requested_by", "decided_by")
    )
    for item in requests:
        item.may_decide = policy.can_decide_extension(item)
        item.may_withdraw = policy.can_withdraw_extension(item)
    parties = policy.extension_parties(commitment)
    if form is None and parties:
        form = forms.ExtensionRequestForm(parties=_party_choices(commitment, parties))
    return {
        "commitment": commitment,
        "extension_requests": requests,
        "extension_form": form if parties else None,
        "extension_error": error,
        **extra,
    }


def _party_choices(commitment: Commitment, parties: list[int]) -> list[tuple[int, str]]:
    names = {r.party_id: r.party for r in commitment.responsibilities.all()}
    return [(pk, str(names.get(pk) or Party.objects.get(pk=pk))) for pk in parties]


def _panel(request: HttpRequest, commitment: Commitment, *, status: int = 200, **kwargs):
    """The panel alone (htmx), after a decision with the history drawn again."""
    context = extension_context(request, commitment, **kwargs)
    context["history"] = commitment_history_rows(commitment, limit=50)
    return render(request, PANEL, context, status=status)


def _done(request: HttpRequest, commitment_pk: int, message: str) -> HttpResponse:
    commitment = _get_commitment(request, commitment_pk)
    if not request.htmx:
        messages.success(request, message)
        return redirect(commitment)
    return _panel(request, commitment, extension_message=message, refreshed=True)


def _refused(request: HttpRequest, commitment: Commitment, error: ValidationError):
    """A decision refused (decided meanwhile, the deadline moved): 422 with the reason."""
    text = " ".join(error.messages)
    if not request.htmx:
        messages.error(request, text)
        return redirect(commitment)
    commitment = _get_commitment(request, commitment.pk)
    return _panel(request, commitment, status=422, error=text)


@require_POST
def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for a later deadline (the focal points of a responsible party, the secretariat)."""
    commitment = _get_commitment(request, pk)
    parties = policy_for(request).extension_parties(commitment)
    if not parties:
        raise PermissionDenied(
            _(
                "Only the focal points of a responsible agency, or the council's "
                "secretariat, may ask to extend this deadline."
            )
        )
    form = forms.ExtensionRequestForm(request.POST, parties=_party_choices(commitment, parties))
    if form.is_valid():
        try:
            services.extension_request(
                commitment=commitment,
                party=Party.objects.get(pk=form.cleaned_data["party"]),
                new_deadline=form.cleaned_data["new_deadline"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            return _done(request, pk, _("Extension requested: the secretariat will decide on it."))
    context = extension_context(request, commitment, form=form, form_open=True)
    if request.htmx:
        return render(request, PANEL, context, status=422)
    for message in [e for errors in form.errors.values() for e in errors]:
        messages.error(request, message)
    return redirect(commitment)


def _get_request(request: HttpRequest, pk: int) -> ExtensionRequest:
    """The extension request, if the user may see its commitment (404 otherwise)."""
    visible = policy_for(request).visible_commitments()
    return get_object_or_404(
        ExtensionRequest.objects.select_related("commitment").prefetch_related(
            Prefetch("commitment__responsibilities")
        ),
        pk=pk,
        commitment__in=visible,
    )


def _decide(request: HttpRequest, pk: int, grant: bool) -> HttpResponse:
    item = _get_request(request, pk)
    commitment = _get_commitment(request, item.commitment_id)
    policy = policy_for(request)
    if not policy.can_decide_extension(item):
        if item.is_pending or not (policy.is_manager or policy.can_edit_commitment(commitment)):
            raise PermissionDenied(
                _("Only the council's secretariat or a manager may decide on an extension.")
            )
        return _refused(
            request,
            commitment,
            ValidationError(
                _("This request is no longer awaiting a decision: it is now “%(status)s”.")
                % {"status": item.get_status_display()}
            ),
        )
    comment = request.POST.get("comment", "")
    try:
        if grant:
            services.extension_grant(request=item, comment=comment, by=request.user)
        else:
            services.extension_refuse(request=item, comment=comment, by=request.user)
    except ValidationError as error:
        if hasattr(error, "error_dict") and "comment" in error.error_dict and request.htmx:
            context = extension_context(
                request,
                commitment,
                comment_error=" ".join(error.message_dict["comment"]),
                comment_for=item.pk,
                comment_value=comment,
            )
            return render(request, PANEL, context, status=422)
        return _refused(request, commitment, error)
    message = (
        _("Extension granted: the deadline is now %(date)s.")
        % {"date": date_format(item.new_deadline, "SHORT_DATE_FORMAT")}
        if grant
        else _("Extension refused: the deadline stays.")
    )
    return _done(request, commitment.pk, message)


@require_POST
def extension_grant(request: HttpRequest, pk: int) -> HttpResponse:
    """Grant an extension request: the deadline moves, the original is kept."""
    return _decide(request, pk, grant=True)


@require_POST
def extension_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    """Refuse an extension request, with a comment the requester reads."""
    return _decide(request, pk, grant=False)


@require_POST
def extension_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The requester withdraws their own pending request."""
    item = _get_request(request, pk)
    try:
        services.extension_withdraw(
            request=item, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        return _refused(request, _get_commitment(request, item.commitment_id), error)
    return _done(request, item.commitment_id, _("Your extension request is withdrawn."))
