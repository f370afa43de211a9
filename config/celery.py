"""The Celery app: `celery -A config worker` and `celery -A config beat`."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _check_services(**kwargs):
    """A worker on production settings stops at once when the database or Redis is missing."""
    from django.conf import settings

    from common.logging import connect_celery_signals

    connect_celery_signals()
    if settings.SETTINGS_MODULE.endswith("production"):
        from config.startup import verify_services

        verify_services()
