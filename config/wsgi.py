"""WSGI entry point for gunicorn (production settings unless told otherwise)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

django_application = get_wsgi_application()

from django.conf import settings  # noqa: E402

if settings.SETTINGS_MODULE.endswith("production"):
    from config.startup import verify_services  # noqa: E402

    verify_services()  # a clear message now, not a 500 on the first request

# /r/<code> is answered in front of Django's middleware (see tracking/redirect.py).
from tracking.redirect import TrackingDispatcher  # noqa: E402

application = TrackingDispatcher(django_application)
