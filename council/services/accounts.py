"""A person's own account: profile, interface language, calendar link, notifications and
which councils they hear about. The person (or an admin, or the system with ``by=None``)
changes them; nothing here is a council record, so a muted council's preference row may
be removed when reminders are turned back on."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Council, Reminder, ReminderMute, User
from ..policies import Policy

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def _check_account(user: User, by: User | None) -> None:
    if by is not None and not Policy(by).can_edit_account(user):
        raise PermissionDenied(_("Only the person themselves or an administrator may do this."))


def _check_language(language: str) -> None:
    if language and language not in LANGUAGE_CODES:
        raise ValidationError(
            {"language": _("“%(code)s” is not a language of this site.") % {"code": language[:10]}}
        )


def user_create(
    *,
    username: str,
    password: str,
    by: User | None,
    groups: tuple[str, ...] = (),
    is_superuser: bool = False,
    **fields,
) -> User:
    """Open an account with its role groups (an administrator, or the system)."""
    if by is not None and not Policy(by).can_manage_accounts():
        raise PermissionDenied(_("Only an administrator may open accounts."))
    user = User(username=username, **fields)
    user.set_password(password)
    user.is_staff = user.is_superuser = is_superuser
    user.full_clean(exclude=["password"])
    user.save()
    if groups:
        user.groups.set(Group.objects.filter(name__in=groups))
    return user


def user_save_by_admin(*, user: User, by: User | None) -> User:
    """Save an account as an administrator edited it (groups, agency, access, password)."""
    if by is not None and not Policy(by).can_manage_accounts():
        raise PermissionDenied(_("Only an administrator may change accounts."))
    user.save()
    return user


def user_save_profile(
    *,
    user: User,
    by: User | None,
    first_name: str,
    last_name: str,
    email: str,
    language: str,
) -> User:
    """Save the name, e-mail address and interface language a person gives for themselves."""
    _check_account(user, by)
    _check_language(language)
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.email = email.strip()
    user.language = language
    user.full_clean(exclude=["password", "username"], validate_unique=False)
    user.save(update_fields=["first_name", "last_name", "email", "language"])
    return user


def user_set_language(*, user: User, language: str, by: User | None) -> bool:
    """Keep ``language`` as the person's interface language; returns whether it changed."""
    _check_account(user, by)
    if not language:
        raise ValidationError({"language": _("Choose a language.")})
    _check_language(language)
    if user.language == language:
        return False
    user.language = language
    user.save(update_fields=["language"])
    return True


def user_reset_calendar_token(*, user: User, by: User | None) -> str:
    """Give the person new calendar feed links; the old ones stop working at once."""
    _check_account(user, by)
    user.calendar_token = secrets.token_urlsafe(32)
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


def notifications_mark_read(*, user: User, by: User | None) -> int:
    """Mark every unread notification of the person as read; returns how many."""
    _check_account(user, by)
    return Reminder.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def reminder_mute(*, user: User, council: Council, by: User | None) -> ReminderMute:
    """The person receives no more reminders about ``council`` (one they may see)."""
    _check_account(user, by)
    if not Policy(user).can_view_council(council):
        raise PermissionDenied(_("You do not follow this council."))
    mute, _created = ReminderMute.objects.get_or_create(user=user, council=council)
    return mute


def reminder_unmute(*, user: User, council: Council, by: User | None) -> bool:
    """Reminders about ``council`` reach the person again; returns whether it was muted.

    The mute is a preference, not a record: turning reminders back on removes it."""
    _check_account(user, by)
    removed, _kinds = ReminderMute.objects.filter(user=user, council=council).delete()
    return bool(removed)
