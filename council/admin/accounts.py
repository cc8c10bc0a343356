"""Accounts."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import (
    User,
)
from .base import NoDeleteMixin


@admin.register(User)
class UserAdmin(NoDeleteMixin, DjangoUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "agency", "is_staff")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups", "agency__party")
    list_select_related = ("agency__party",)
    autocomplete_fields = ("agency",)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Council Tracker"), {"fields": ("agency", "language")}),
    )

    def save_model(self, request, obj, form, change):
        # The forms have set the fields (and hashed a new password); the service saves.
        services.user_save_by_admin(user=obj, by=request.user)
