"""Reference data: parties, agencies, people and sectors.

Parties, agencies and sectors are kept by administrators; people also by the
secretariat, who record who came to a session. Nothing here is deleted: an agency or
sector that is no longer used is made inactive.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ..models import Agency, Council, Party, Person, Sector, User
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


# Added from a session's forms ------------------------------------------------------------
# The secretariat recording a session meets an agency or an official missing from the
# list; they add it from the form they are filling in, without going to admin. An
# administrator may merge a duplicate made this way later.


def quick_add_reason() -> str:
    """The reason on the history record of an agency or person added from a form."""
    return _("added from the session form")


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _check_quick_add(by: User | None, council: Council, party: Party | None) -> None:
    if by is not None and not Policy(by).can_quick_add_reference(council.pk):
        raise PermissionDenied(
            _("Only the council's secretariat or an administrator may add to this list.")
        )
    if party is not None and not council.parties.filter(pk=party.pk).exists():
        raise ValidationError({"party": _("Choose one of the council's parties.")})


def agency_add_quick(
    *,
    council: Council,
    party: Party,
    name: str,
    short_name: str = "",
    kind: str = Agency.Kind.MINISTRY,
    by: User | None,
) -> Agency:
    """Add an agency of one of ``council``'s parties, refusing one already recorded under
    the same name or short name (in any letter case)."""
    _check_quick_add(by, council, party)
    name, short_name = " ".join(name.split()), " ".join(short_name.split())
    if not name:
        raise ValidationError({"name": _("Write the agency's name.")})
    for known in Agency.objects.filter(party=party):
        # Its names in every language: one typed in Russian may be stored in English.
        names = {
            getattr(known, f"{field}_{code}", None) or getattr(known, field)
            for field in ("name", "short_name")
            for code, _name in settings.LANGUAGES
        }
        if any(
            value and _same_name(value, candidate)
            for value in names
            for candidate in (name, short_name)
            if candidate
        ):
            raise ValidationError(
                {
                    "name": _(
                        "“%(agency)s” is already recorded for this party: choose it from the list."
                    )
                    % {"agency": known.name}
                }
            )
    agency = Agency(party=party, name=name, short_name=short_name, kind=kind)
    save_checked(
        agency,
        by=by,
        reason=quick_add_reason(),
        duplicate=ValidationError({"name": _("This party already has an agency of this name.")}),
    )
    return agency


def person_add_quick(
    *,
    council: Council,
    party: Party,
    name: str,
    position: str = "",
    by: User | None,
) -> Person:
    """Add an official of one of ``council``'s parties, refusing one already recorded for
    that party under the same name (in any letter case)."""
    _check_quick_add(by, council, party)
    name, position = " ".join(name.split()), position.strip()
    if not name:
        raise ValidationError({"name": _("Write the person's full name.")})
    for known in Person.objects.filter(party=party).only("name"):
        if _same_name(known.name, name):
            raise ValidationError(
                {
                    "name": _(
                        "%(person)s is already recorded for this party: choose them from the list."
                    )
                    % {"person": known.name}
                }
            )
    person = Person(party=party, name=name, position=position)
    save_checked(person, by=by, reason=quick_add_reason(), duplicate=None)
    return person
