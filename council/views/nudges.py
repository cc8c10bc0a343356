"""A commitment's sides on its page: flagged at risk (and cleared), and reminded now."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .. import services, workload
from ..models import Commitment, Party, RiskFlag, SideNudge
from ..policies import policy_for
from ..querysets import local_today
from ._access import _get_commitment

REMIND_PANEL = "council/includes/remind_now_panel.html"
RISK_PANEL = "council/includes/risk_panel.html"
NUDGES_SHOWN = 20


def side_panel(request: HttpRequest, commitment: Commitment, **extra) -> dict:
    """What the two panels show: each side (a party with a responsible agency) with its
    open risk flag and today's reminder, what the user may do, and their history. Sets
    ``at_risk_parties`` on the commitment for its status badge. Two queries."""
    policy = policy_for(request)
    parties: dict[int, Party] = {}
    for responsibility in commitment.responsibilities.all():
        parties.setdefault(responsibility.party_id, responsibility.party)
    flags = list(
        RiskFlag.objects.filter(commitment=commitment).select_related(
            "party", "raised_by", "cleared_by"
        )
    )
    open_flags = {flag.party_id: flag for flag in flags if flag.is_open}
    today = local_today()
    nudges = list(
        SideNudge.objects.filter(commitment=commitment).select_related("party", "sent_by")[
            :NUDGES_SHOWN
        ]
    )
    today_nudges = {n.party_id: n for n in nudges if n.day == today}
    sides = [
        SimpleNamespace(
            party=party,
            flag=open_flags.get(party.pk),
            can_flag=policy.can_flag_risk(commitment, party.pk),
            nudged_today=today_nudges.get(party.pk),
        )
        for party in sorted(parties.values(), key=lambda p: (p.order, p.code))
    ]
    commitment.at_risk_parties = ", ".join(
        side.party.code for side in sides if side.flag is not None
    )
    return {
        "commitment": commitment,
        "sides": sides,
        "flags": flags,
        "nudges": nudges,
        "can_remind": commitment.is_open and policy.can_remind_side(commitment),
        "is_open": commitment.is_open,
        "can_flag_any": any(side.can_flag for side in sides),
        **extra,
    }


def _side(request: HttpRequest, pk: int, party_pk: int) -> tuple[Commitment, Party]:
    commitment = _get_commitment(request, pk)
    party = next(
        (r.party for r in commitment.responsibilities.all() if r.party_id == party_pk), None
    )
    if party is None:
        party = get_object_or_404(Party, pk=party_pk)
    return commitment, party


def _panel(request, template, commitment, *, status=200, **extra) -> HttpResponse:
    if not request.htmx:
        if status == 200:
            messages.success(request, extra.get("saved", ""))
        else:
            messages.error(request, extra.get("error", ""))
        return redirect(commitment)
    commitment = _get_commitment(request, commitment.pk)
    context = {"side_panel": side_panel(request, commitment, **extra)}
    return render(request, template, context, status=status)


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_POST
def commitment_remind_side(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    commitment, party = _side(request, pk, party_pk)
    if not policy_for(request).can_remind_side(commitment):
        raise PermissionDenied(_("Only the council's secretariat may send a reminder now."))
    note = request.POST.get("note", "")
    try:
        nudge = services.side_remind_now(
            commitment=commitment, party=party, note=note, by=request.user
        )
    except ValidationError as error:
        return _panel(
            request,
            REMIND_PANEL,
            commitment,
            status=422,
            error=_message(error),
            error_party=party.pk,
            note=note,
        )
    saved = ngettext(
        "Reminder sent to %(n)s focal point of %(party)s.",
        "Reminder sent to %(n)s focal points of %(party)s.",
        nudge.recipients,
    ) % {"n": nudge.recipients, "party": party}
    return _panel(request, REMIND_PANEL, commitment, saved=saved, saved_party=party.pk)


@require_POST
def commitment_flag_risk(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    commitment, party = _side(request, pk, party_pk)
    if not policy_for(request).can_flag_risk(commitment, party.pk):
        raise PermissionDenied(
            _("Only the council's secretariat or this side's focal points may flag it at risk.")
        )
    reason = request.POST.get("reason", "")
    try:
        services.risk_flag_raise(commitment=commitment, party=party, reason=reason, by=request.user)
    except ValidationError as error:
        return _panel(
            request,
            RISK_PANEL,
            commitment,
            status=422,
            error=_message(error),
            error_party=party.pk,
            reason=reason,
        )
    saved = _("The side of %(party)s is flagged at risk.") % {"party": party}
    return _panel(request, RISK_PANEL, commitment, saved=saved, saved_party=party.pk)


@require_POST
def risk_flag_clear(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_object_or_404(
        RiskFlag.objects.select_related("party").filter(
            commitment__in=policy_for(request).visible_commitments()
        ),
        pk=pk,
    )
    commitment = _get_commitment(request, flag.commitment_id)
    flag.commitment = commitment
    if not policy_for(request).can_flag_risk(commitment, flag.party_id):
        raise PermissionDenied(
            _("Only the council's secretariat or this side's focal points may clear the flag.")
        )
    note = request.POST.get("note", "")
    try:
        services.risk_flag_clear(flag=flag, note=note, by=request.user)
    except ValidationError as error:
        return _panel(
            request,
            RISK_PANEL,
            commitment,
            status=422,
            error=_message(error),
            error_party=flag.party_id,
            note=note,
        )
    saved = _("The risk flag of %(party)s is cleared.") % {"party": flag.party}
    return _panel(request, RISK_PANEL, commitment, saved=saved, saved_party=flag.party_id)


STALE_SHOWN = 10


def stale_sides_first(request: HttpRequest) -> tuple[int, dict[int, list[str]]] | None:
    """The dashboard's stale sides: for the secretariat those of its councils, for a focal
    point their own party's sides of their commitments (as the dashboard counts them).
    Their count, and the first ``STALE_SHOWN`` commitments' stale sides (party codes,
    by commitment id); None for the other roles, who keep no council's follow-up."""
    policy = policy_for(request)
    if not (policy.is_focal_point or policy.staff_council_ids or policy.is_admin):
        return None
    agency_id = request.user.agency_id if policy.is_focal_point else None
    count, first = workload.stale_sides_shown(
        policy, local_today(), agency_id=agency_id, shown=STALE_SHOWN * 4
    )
    codes: dict[int, list[str]] = {}
    for commitment_id, code in first:
        codes.setdefault(commitment_id, []).append(code)
    return count, dict(list(codes.items())[:STALE_SHOWN])
