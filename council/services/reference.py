"""Reference data: parties, agencies, people and sectors.

Parties, agencies and sectors are kept by administrators; people also by the
secretariat, who record who came to a session. Nothing here is deleted: an agency or
sector that is no longer used is made inactive.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ..models import Agency, Party, Person, Sector, User
from ..policies import Policy
from ._records import save_checked


def _require_admin(by: User | None) -> None:
    if by is not None and not Policy(by).can_edit_reference_data():
        raise PermissionDenied(_("Only an administrator may change reference data."))


def party_save(*, party: Party, by: User | None, reason: str = "") -> Party:
    _require_admin(by)
    save_checked(
        party,
        by=by,
        reason=reason,
        duplicate=ValidationError(_("A party with this code or name is recorded.")),
    )
    return party


def agency_save(*, agency: Agency, by: User | None, reason: str = "") -> Agency:
    _require_admin(by)
    save_checked(
        agency,
        by=by,
        reason=reason,
        duplicate=ValidationError({"name": _("This party already has an agency of this name.")}),
    )
    return agency


def person_save(*, person: Person, by: User | None, reason: str = "") -> Person:
    if by is not None and not Policy(by).can_edit_people():
        raise PermissionDenied(_("Only the secretariat or an administrator may change people."))
    save_checked(person, by=by, reason=reason, duplicate=None)
    return person


def sector_save(*, sector: Sector, by: User | None, reason: str = "") -> Sector:
    _require_admin(by)
    save_checked(
        sector,
        by=by,
        reason=reason,
        duplicate=ValidationError(_("A sector with this code or name is recorded.")),
    )
    return sector
