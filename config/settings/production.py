"""Production: PostgreSQL, Redis, SMTP, HTTPS. Refuses to start half-configured."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    DATABASES,
    PAYMENT_GATEWAY,
    PAYMENT_TEST_GATEWAY_ALLOWED,
    REDIS_URL,
    SECRET_KEY,
    SITE_URL,
    env,
)

if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. Production needs a long random secret, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

DEBUG = False

if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        "SITE_URL is not set. Production needs the address people reach the site at, e.g. "
        "https://shop.example.com: every link in an email is built from it."
    )
if PAYMENT_GATEWAY == "shops.payments.TestGateway" and not PAYMENT_TEST_GATEWAY_ALLOWED:
    raise ImproperlyConfigured(
        "PAYMENT_GATEWAY is the test gateway, which approves the test card 4242 4242 4242 4242 and moves no "
        "money. Set PAYMENT_GATEWAY to your provider's adapter (docs/deploy.md, 'Payments'), or set "
        "PAYMENT_TEST_GATEWAY_ALLOWED=True for a demo deployment that takes no real orders."
    )

# WhiteNoise serves the collected static files right after the security middleware.
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "whitenoise.middleware.WhiteNoiseMiddleware")

# Persistent connections, checked before reuse.
for alias in DATABASES:  # noqa: F405 - the primary and, when set, the replica
    DATABASES[alias]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)  # noqa: F405
    DATABASES[alias]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

if not REDIS_URL:
    raise ImproperlyConfigured(
        "REDIS_URL is not set. Production runs Celery and the cache on Redis, e.g. redis://127.0.0.1:6379/0."
    )
if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"REDIS_URL must start with redis://, rediss:// or unix:// (got {REDIS_URL.split(':', 1)[0]}:...)."
    )

# One JSON object per line, with the request id or task id.
LOGGING["handlers"]["console"]["formatter"] = "json" if env.bool("DJANGO_LOG_JSON", default=True) else "plain"  # noqa: F405

# HTTPS. DJANGO_HTTPS=False only for trying the production stack on http://127.0.0.1
# (make up); a real deployment terminates TLS in front and keeps it on.
HTTPS = env.bool("DJANGO_HTTPS", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=HTTPS)
SESSION_COOKIE_SECURE = HTTPS
TRACKING_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
