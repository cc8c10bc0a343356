"""Each party's side of a commitment: kept in step with the responsible agencies, and the
commitment's status that follows from its sides.

The moves themselves (a side reported, accepted, returned) go through the commitment's
status services (``commitment_change_status``, ``commitment_accept_completion``,
``commitment_return_completion``, ``commitment_report_progress``), which take the side.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..models import Commitment, CommitmentSide, Responsibility, User, derived_status
from ._records import save_with_history


def sync_sides(commitment: Commitment, *, by: User | None, reason: str) -> None:
    """One side per party with a responsible agency. A side whose party is no longer
    responsible is kept, with its reports, and marked so (it no longer counts towards
    the commitment's status); a party responsible again takes its side back.

    A new side starts "not started": the commitment's status follows from its sides
    when a side moves (``commitment_status_from_sides``), not when the agencies are
    edited."""
    wanted = set(
        Responsibility.objects.filter(commitment=commitment).values_list("party_id", flat=True)
    )
    current = {
        side.party_id: side
        for side in CommitmentSide.objects.select_for_update().filter(commitment=commitment)
    }
    for party_id, side in current.items():
        responsible = party_id in wanted
        if side.is_responsible != responsible:
            side.is_responsible = responsible
            save_with_history(
                side,
                by=by,
                reason=reason
                or (_("Responsible again") if responsible else _("No longer responsible")),
                update_fields=["is_responsible", "updated_at"],
            )
    for party_id in sorted(wanted - current.keys()):
        side = CommitmentSide(commitment=commitment, party_id=party_id)
        save_with_history(side, by=by, reason=reason or _("Responsible agency named"))


def commitment_status_from_sides(sides) -> str | None:
    """The status ``sides`` give their commitment, or None when it has no responsible
    side (its status is then set directly, as before sides existed)."""
    statuses = [side.status for side in sides if side.is_responsible]
    return derived_status(statuses) if statuses else None
