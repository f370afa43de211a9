"""WSGI entry point for gunicorn (production settings unless told otherwise).

Two small layers answer before Django's middleware: /r/<code> (tracking/redirect.py)
and, when uploaded pictures are on this machine's disk, /media/ (config/media.py).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

django_application = get_wsgi_application()

from django.conf import settings  # noqa: E402

if settings.SETTINGS_MODULE.endswith("production"):
    from config.startup import verify_services  # noqa: E402

    verify_services()  # a clear message now, not a 500 on the first request

from config.media import MediaFiles  # noqa: E402
from tracking.redirect import TrackingDispatcher  # noqa: E402

application = django_application
if settings.SERVE_MEDIA:
    application = MediaFiles(application, root=settings.MEDIA_ROOT, prefix=settings.MEDIA_URL)
application = TrackingDispatcher(application)
