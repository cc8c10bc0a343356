from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "council"
    verbose_name = _("Council Tracker")

    def ready(self):
        from .i18n import fall_back_to_russian
        from .sqlite import fold_like

        fall_back_to_russian()
        # Webhook deliveries recorded by a request go out through a Celery task.
        from . import tasks
        from .services import webhooks

        webhooks.dispatcher = tasks.enqueue_webhook
        # History written inside the API says so (``services.channels``).
        from simple_history.signals import pre_create_historical_record

        from .services.channels import mark_history

        pre_create_historical_record.connect(mark_history, dispatch_uid="council-channel")
        connection_created.connect(fold_like, dispatch_uid="council-sqlite-like")
