"""Settings for pytest. DATABASE_URL and REDIS_URL still choose the real services."""

from .base import *  # noqa: F403
from .base import SECRET_KEY, SITE_URL, env

DEBUG = False
SECRET_KEY = SECRET_KEY or "test-only-not-secret"  # noqa: S105
SITE_URL = SITE_URL or "http://testserver"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Unit tests run tasks in process; tests with a real worker switch this off.
CELERY_TASK_ALWAYS_EAGER = True
# Tests may share a Redis server with other projects: keep our keys apart.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING["root"]["level"] = env.str("DJANGO_LOG_LEVEL", default="WARNING")  # noqa: F405
# Tests that exercise the click stream switch it on themselves (tests/tracking), and so do
# those of the commissions-due stream (tests/payouts/test_due.py).
TRACKING_REDIS = False
COMMISSIONS_MICROBATCH = False
# The webhook tests run their receiver on 127.0.0.1.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
