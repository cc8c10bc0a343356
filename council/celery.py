"""The Celery app. Workers: ``celery -A council worker``; beat: ``celery -A council beat``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "council.settings")

app = Celery("council")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
