"""WSGI entry point for gunicorn (production settings unless told otherwise)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

django_application = get_wsgi_application()

# /r/<code> is answered in front of Django's middleware (see tracking/redirect.py).
from tracking.redirect import TrackingDispatcher  # noqa: E402

application = TrackingDispatcher(django_application)
