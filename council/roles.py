"""The roles of Council Tracker as Django groups, with their model permissions.

Object-level rules (which council, which agency) sit on top of these; the groups only
say what kind of thing each role may touch at all.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

SECRETARIAT = "Secretariat"
FOCAL_POINT = "Agency focal points"
MANAGER = "Managers"

# What each role may do, as "<action>_<model>" codenames of the council app.
_RECORDED_BY_SECRETARIAT = [
    "session",
    "participant",
    "agendaitem",
    "commitment",
    "responsibility",
    "protocol",
    "signatory",
    "protocolfile",
    "review",
    "event",
    "observation",
]
_READ_ALL = [
    "party",
    "agency",
    "person",
    "sector",
    "council",
    "cochair",
    "session",
    "participant",
    "agendaitem",
    "commitment",
    "responsibility",
    "statusupdate",
    "attachment",
    "review",
    "protocol",
    "signatory",
    "protocolfile",
    "event",
    "indicator",
    "observation",
    "target",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    SECRETARIAT: [f"view_{m}" for m in _READ_ALL]
    + [f"{a}_{m}" for m in _RECORDED_BY_SECRETARIAT for a in ("add", "change")]
    + ["add_statusupdate", "add_attachment", "add_person", "change_person"],
    FOCAL_POINT: [f"view_{m}" for m in _READ_ALL] + ["add_statusupdate", "add_attachment"],
    MANAGER: [f"view_{m}" for m in _READ_ALL] + ["add_statusupdate"],
}


@transaction.atomic
def roles_sync() -> dict[str, Group]:
    """Create or update the role groups so each has exactly its permissions."""
    groups = {}
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)  # not a record: configuration
        permissions = Permission.objects.filter(
            content_type__app_label="council", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise LookupError(f"Unknown permissions for {name}: {sorted(missing)}")
        group.permissions.set(permissions)  # not a record: configuration
        groups[name] = group
    return groups
