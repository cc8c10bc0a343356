"""Webhook endpoints (registered per council by administrators) and the delivery log."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from ..policies import policy_for
from .base import NoDeleteMixin, ServiceAdmin, ServiceRefusalAdminMixin


class WebhookEndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["council", "url", "description", "events", "is_active"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ServiceRefusalAdminMixin, ServiceAdmin, admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ("url", "council", "is_active", "created_at")
    list_filter = ("is_active", "council")
    list_select_related = ("council",)
    readonly_fields = ("secret", "created_by", "created_at")
    actions = ["rotate_secret"]

    def _allowed(self, request) -> bool:
        return policy_for(request).can_manage_webhooks()

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_module_permission(self, request) -> bool:
        return self._allowed(request)

    def save_record(self, request, obj, form, change) -> None:
        services.webhook_endpoint_save(endpoint=obj, by=request.user)

    def has_rotate_secret_permission(self, request) -> bool:
        return self._allowed(request)

    @admin.action(description=_("Replace the signing secret"), permissions=["rotate_secret"])
    def rotate_secret(self, request, queryset):
        for endpoint in queryset:
            services.webhook_endpoint_rotate_secret(endpoint=endpoint, by=request.user)
        self.message_user(request, _("New secrets are shown on each endpoint's page."))


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(NoDeleteMixin, admin.ModelAdmin):
    """The delivery log: what went where, the receiver's answer, and retries."""

    list_display = (
        "event",
        "endpoint",
        "status",
        "attempts",
        "response_status",
        "created_at",
        "delivered_at",
    )
    list_filter = ("status", "event", "endpoint__council")
    list_select_related = ("endpoint",)
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    actions = ["retry"]

    def has_module_permission(self, request) -> bool:
        return policy_for(request).can_manage_webhooks()

    def has_view_permission(self, request, obj=None) -> bool:
        return policy_for(request).can_manage_webhooks()

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_retry_permission(self, request) -> bool:
        return policy_for(request).can_manage_webhooks()

    @admin.action(description=_("Send failed deliveries again"), permissions=["retry"])
    def retry(self, request, queryset):
        count = 0
        for delivery in queryset.filter(status=WebhookDelivery.Status.FAILED):
            services.webhook_delivery_retry(delivery=delivery, by=request.user)
            count += 1
        self.message_user(
            request, _("%(n)d deliveries will be sent by the next scan.") % {"n": count}
        )
