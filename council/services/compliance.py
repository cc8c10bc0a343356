"""Compliance scores (``reporting.compliance`` says how they are derived): a session's
assessment recorded, and a score set by the secretariat with a reason."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..models import ComplianceScore, Session, User
from ..policies import Policy
from ..reporting.compliance import assessments
from ._records import save_with_history
from .reports import compliance_tally_follow


def compliance_assess_session(*, session: Session, by: User | None) -> dict[str, int]:
    """Record (or refresh) the derived score of every side ``session`` reviews.

    Idempotent: a score that has not changed is left as it is, a changed one is updated,
    a missing one created; a score the secretariat set stays set (only the derived score
    beside it moves). Returns how many were created, updated and left unchanged.
    """
    if by is not None:
        refusal = Policy(by).compliance_assess_refusal(session)
        if refusal:
            raise PermissionDenied(refusal)
    reason = _("Compliance assessed at %(session)s") % {"session": session}
    now = timezone.now()
    with transaction.atomic():
        derived = assessments(session)
        existing = {
            (score.commitment_id, score.party_id): score
            for score in ComplianceScore.objects.select_for_update().filter(session=session)
        }
        created, changed = [], []
        for commitment_id, party_id, kind, value in derived:
            score = existing.get((commitment_id, party_id))
            if score is None:
                created.append(
                    ComplianceScore(
                        commitment_id=commitment_id,
                        party_id=party_id,
                        session=session,
                        kind=kind,
                        derived=value,
                        assessed_at=now,
                    )
                )
            elif (score.kind, score.derived) != (kind, value):
                score.kind, score.derived, score.assessed_at = kind, value, now
                changed.append(score)
        if created:
            bulk_create_with_history(
                created, ComplianceScore, default_user=by, default_change_reason=reason
            )
        if changed:
            bulk_update_with_history(
                changed,
                ComplianceScore,
                ["kind", "derived", "assessed_at"],
                default_user=by,
                default_change_reason=reason,
            )
    compliance_tally_follow(session.council_id)
    return {
        "created": len(created),
        "updated": len(changed),
        "unchanged": len(derived) - len(created) - len(changed),
    }


def compliance_override(
    *, score: ComplianceScore, value: int | None, reason: str, by: User | None
) -> ComplianceScore:
    """Set ``score``'s score by hand (+1, 0 or −1), or clear it with ``value=None`` so the
    derived score counts again; either way with a reason, kept in its history."""
    if by is not None and not Policy(by).can_override_compliance(score.commitment.council_id):
        raise PermissionDenied(_("Only the council's secretariat may set a compliance score."))
    reason = reason.strip()
    errors = {}
    if value is not None and value not in ComplianceScore.Value.values:
        errors["value"] = _("Choose +1, 0 or −1.")
    if not reason:
        errors["reason"] = _("Say why the score is set by hand.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = ComplianceScore.objects.select_for_update().get(pk=score.pk)
        locked.override = value
        locked.override_reason = reason if value is not None else ""
        locked.overridden_by = by if value is not None else None
        locked.overridden_at = timezone.now() if value is not None else None
        locked.full_clean()
        save_with_history(locked, by=by, reason=reason)
    for name in ("override", "override_reason", "overridden_by_id", "overridden_at", "assessed_at"):
        setattr(score, name, getattr(locked, name))
    compliance_tally_follow(score.commitment.council_id)
    return score
