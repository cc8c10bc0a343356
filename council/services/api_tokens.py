"""Personal API tokens: created with a name and an expiry, shown once, stored hashed,
revoked (kept, never deleted)."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ApiToken, User
from ..models.api_tokens import TOKEN_MARK, token_digest
from ..policies import Policy
from ._records import save_with_history

# A person keeps at most this many usable tokens: one per system they connect.
MAX_TOKENS = 20
MAX_DAYS = 366


def _check(user: User, by: User | None) -> None:
    if by is not None and not Policy(by).can_edit_account(user):
        raise PermissionDenied(_("Only the person themselves or an administrator may do this."))


def api_token_create(
    *, user: User, name: str, days: int | None, by: User | None
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it with its secret, which is never shown again."""
    _check(user, by)
    name = " ".join(name.split())
    errors = {}
    if not name:
        errors["name"] = _("Name the token after the system that will use it.")
    elif len(name) > 100:
        errors["name"] = _("At most 100 characters.")
    if days is not None and not 1 <= days <= MAX_DAYS:
        errors["days"] = _("Between 1 and %(max)s days.") % {"max": MAX_DAYS}
    if errors:
        raise ValidationError(errors)
    if ApiToken.objects.filter(user=user).usable().count() >= MAX_TOKENS:
        raise ValidationError(
            _("You have %(max)s tokens in use: revoke one you no longer need first.")
            % {"max": MAX_TOKENS}
        )
    prefix = secrets.token_hex(5)
    secret = f"{TOKEN_MARK}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        user=user,
        name=name,
        prefix=prefix,
        digest=token_digest(secret),
        expires_at=timezone.now() + datetime.timedelta(days=days) if days else None,
    )
    save_with_history(token, by=by, reason=_("Token created"))
    return token, secret


def api_token_revoke(*, token: ApiToken, by: User | None) -> None:
    _check(token.user, by)
    if token.revoked_at is not None:
        raise ValidationError(_("This token was already revoked."))
    token.revoked_at = timezone.now()
    save_with_history(token, by=by, reason=_("Token revoked"))


def api_token_authenticate(secret: str) -> ApiToken | None:
    """The usable token ``secret`` names, or None; notes when it was last used (at most
    once a minute, so a busy client does not write on every request)."""
    parts = secret.split("_")
    if len(parts) < 3 or parts[0] != TOKEN_MARK:
        return None
    token = ApiToken.objects.usable().select_related("user").filter(prefix=parts[1]).first()
    if token is None or not secrets.compare_digest(token.digest, token_digest(secret)):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        # Not a record of the council: excluded from the token's history on purpose.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
