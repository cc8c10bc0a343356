"""The people who sign in."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: secretariat staff, an agency's focal point, a manager, an admin."""

    agency = models.ForeignKey(
        "Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="ru", blank=True
    )
    # The secret in the user's calendar feed URLs; resetting it cuts off old subscriptions
    # (services.user_reset_calendar_token).
    calendar_token = models.CharField(
        _("calendar token"), max_length=64, unique=True, null=True, blank=True, editable=False
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username
