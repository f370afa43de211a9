"""Settings shared by every environment.

The environment is read here and only here (django-environ). The other modules
in this package change behaviour for one environment and read nothing themselves.
"""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A developer may keep overrides in a .env file; the real environment wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# ------------------------------------------------------------------------------
# Core
# ------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Environments that may run without a secret (local, test) set a fallback;
# production.py refuses to start when this is empty.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The product's name (page titles, email subjects, the Site record) and the address every
# email links to (no request to take a host from). production.py requires SITE_URL.
SITE_NAME = env.str("SITE_NAME", default="Kinship Shop")
SITE_URL = env.str("SITE_URL", default="").rstrip("/")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
SITE_ID = 1

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (`include`) are a PostgreSQL feature. SQLite (the embedded default, one
# writer at a time) builds a plain index instead (W040), and leaves out a unique constraint
# with included columns (W039: the figures to date per day, whose one writer looks before
# it makes a row).
SILENCED_SYSTEM_CHECKS = ["models.W039", "models.W040"]

# ------------------------------------------------------------------------------
# Apps. Each may import only the apps listed before it (import-linter checks it):
# common < shops < affiliates < tracking < payouts < portal (docs/architecture.md).
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "django_celery_beat",
    "django_filters",
    "django_htmx",
    "django_tables2",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]
LOCAL_APPS = [
    "common",
    "shops",
    "affiliates",
    "tracking",
    "payouts",
    # The top floor: the pages that read every app, sign-up with a role, the demo data;
    # and beside it the API and webhooks, which read every app too.
    "portal",
    "api",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "common.logging.RequestIdMiddleware",
    "common.db.PrimaryAfterWriteMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "portal.context_processors.site",
            ],
        },
    },
]
FORM_RENDERER = "common.forms.FormRenderer"

# ------------------------------------------------------------------------------
# Database: SQLite file unless DATABASE_URL names another (PostgreSQL in production).
# ------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A PostgreSQL streaming replica for dashboard and report reads (common/db.py,
# docs/scaling.md). Writes, transactions and a person's reads right after their own write
# stay on the primary.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {**env.db_url_config(DATABASE_REPLICA_URL), "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["common.db.ReplicaRouter"]
# How long after a write a person may be kept on the primary while the replica catches up.
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=300)

# ------------------------------------------------------------------------------
# Redis: broker and cache when REDIS_URL is set; otherwise eager Celery and a
# process-local cache, so the embedded default needs no external service.
# ------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kinship",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The history of a status change keeps the whole reason staff gave (up to 500 characters).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_DEFAULT_QUEUE", default="default")
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With acks_late, a task whose worker died is delivered again once this many seconds have
# passed (Redis transport). Longer than the longest task; every task is idempotent.
# Workers look for such abandoned tasks every 10 seconds (kombu's default is 100).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
}
# Click ingestion has its own queue, so long commission or payout work never delays it.
CELERY_TASK_ROUTES = {
    "tracking.tasks.flush_clicks": {"queue": "clicks"},
    "tracking.tasks.attribute_order": {"queue": "clicks"},
    "payouts.tasks.compute_commissions": {"queue": "commissions"},
    "payouts.tasks.drain_due_commissions": {"queue": "commissions"},
    "payouts.tasks.apply_refund": {"queue": "commissions"},
    "payouts.tasks.apply_cancellation": {"queue": "commissions"},
    "payouts.tasks.compute_payout_run": {"queue": "payouts"},
    "payouts.tasks.compact_open_commissions": {"queue": "commissions"},
    "common.tasks.send_email": {"queue": "default"},
}

# ------------------------------------------------------------------------------
# Authentication (django-allauth): email and password, verified email.
# ------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home_for_role"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "shop:feed"
ACCOUNT_SIGNUP_FORM_CLASS = "portal.accounts.SignupForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# allauth's defaults, stated so nobody switches them off by accident.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}

# ------------------------------------------------------------------------------
# Email: console unless EMAIL_URL is set (smtp://user:pass@host:587 and friends).
# ------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default=f"{SITE_NAME} <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10

# ------------------------------------------------------------------------------
# Static and media
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded pictures. On one machine they are files under MEDIA_ROOT that the web process
# serves itself (config/media.py), unless a proxy in front does (DJANGO_SERVE_MEDIA=False).
# With several web machines they live in S3-compatible object storage (MEDIA_S3_BUCKET).
MEDIA_S3_BUCKET = env.str("MEDIA_S3_BUCKET", default="")
MEDIA_ORIGINS: list[str] = []  # where pages may load pictures from, besides this site
if MEDIA_S3_BUCKET:
    _endpoint = env.str("MEDIA_S3_ENDPOINT_URL", default="")
    _domain = env.str("MEDIA_S3_CUSTOM_DOMAIN", default="")
    _region = env.str("MEDIA_S3_REGION", default="")
    _protocol = env.str("MEDIA_S3_URL_PROTOCOL", default="https:")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": _endpoint or None,
            "region_name": _region or None,
            "access_key": env.str("MEDIA_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("MEDIA_S3_SECRET_ACCESS_KEY", default="") or None,
            # A CDN or the bucket's public host name; pages link there.
            "custom_domain": _domain or None,
            "url_protocol": _protocol,
            # Pictures are public: readable by anyone with the link, through an ACL or (for
            # buckets without ACLs) a bucket policy, or signed links when the bucket is private.
            "default_acl": env.str("MEDIA_S3_ACL", default="public-read") or None,
            "querystring_auth": env.bool("MEDIA_S3_SIGNED_URLS", default=False),
            "addressing_style": env.str("MEDIA_S3_ADDRESSING_STYLE", default="path" if _endpoint else "") or None,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=604800"},
        },
    }
    if _domain:
        MEDIA_ORIGINS = [f"{_protocol}//{_domain}"]
    elif _endpoint:
        MEDIA_ORIGINS = [_endpoint.rstrip("/")]
    else:
        MEDIA_ORIGINS = [f"https://{MEDIA_S3_BUCKET}.s3.amazonaws.com",
                         f"https://{MEDIA_S3_BUCKET}.s3.{_region or 'us-east-1'}.amazonaws.com"]
SERVE_MEDIA = env.bool("DJANGO_SERVE_MEDIA", default=not MEDIA_S3_BUCKET)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# ------------------------------------------------------------------------------
# Security headers that hold everywhere; production.py adds the HTTPS-only ones.
# ------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# ------------------------------------------------------------------------------
# Tracking: the /r/<code> redirect and the click pipeline
# ------------------------------------------------------------------------------
# With Redis, clicks go through a stream and codes are cached there; without, straight to the database.
TRACKING_REDIS = bool(REDIS_URL)
TRACKING_STREAM = env.str("TRACKING_STREAM", default="kinship:clicks")
TRACKING_STREAM_GROUP = "kinship-flush"
TRACKING_FLUSH_BATCH = env.int("TRACKING_FLUSH_BATCH", default=5000)
TRACKING_BURST_PER_MINUTE = env.int("TRACKING_BURST_PER_MINUTE", default=20)
TRACKING_DUPLICATE_MINUTES = 30
TRACKING_CLICK_RETENTION_DAYS = env.int("TRACKING_CLICK_RETENTION_DAYS", default=180)
# Long enough for the longest attribution window a program may choose (90 days).
TRACKING_COOKIE_MAX_AGE = 90 * 24 * 3600
TRACKING_COOKIE_SECURE = False
# Behind a proxy that sets X-Forwarded-For, the client is its first address.
TRACKING_TRUST_FORWARDED_FOR = env.bool("TRACKING_TRUST_FORWARDED_FOR", default=False)

# Commissions of paid orders are computed in micro-batches through a Redis stream when Redis
# is there (payouts/due.py); otherwise, a task per order.
COMMISSIONS_MICROBATCH = env.bool("COMMISSIONS_MICROBATCH", default=bool(REDIS_URL))
COMMISSIONS_DUE_STREAM = env.str("COMMISSIONS_DUE_STREAM", default="kinship:commissions-due")
COMMISSIONS_DUE_BATCH = env.int("COMMISSIONS_DUE_BATCH", default=1000)
COMMISSIONS_DRAIN_EVERY_MS = env.int("COMMISSIONS_DRAIN_EVERY_MS", default=100)

# ------------------------------------------------------------------------------
# Payments: the card gateway (shops/payments.py describes its interface)
# ------------------------------------------------------------------------------
PAYMENT_GATEWAY = env.str("PAYMENT_GATEWAY", default="shops.payments.TestGateway")
# Keyword arguments for the gateway class: API keys and the like, as JSON.
PAYMENT_GATEWAY_OPTIONS = env.json("PAYMENT_GATEWAY_OPTIONS", default={})
# Production refuses the test gateway (it approves 4242... and moves no money) unless a
# demo deployment says so here.
PAYMENT_TEST_GATEWAY_ALLOWED = env.bool("PAYMENT_TEST_GATEWAY_ALLOWED", default=False)

# ------------------------------------------------------------------------------
# Payouts
# ------------------------------------------------------------------------------
PAYOUT_MINIMUM = env.str("PAYOUT_MINIMUM", default="10.00")
# Zero-decimal and small-unit currencies need their own minimum to mean the same.
PAYOUT_MINIMUM_BY_CURRENCY = {"JPY": "1000", "KRW": "10000", "VND": "250000", "IDR": "150000"}

# Benchmarks (make bench) switch on a bare Django redirect view to compare /r/ against.
BENCH_ENDPOINTS = env.bool("BENCH_ENDPOINTS", default=False)

# ------------------------------------------------------------------------------
# Admin (the ops console at /ops/)
# ------------------------------------------------------------------------------
ADMIN_URL = "ops/"

# ------------------------------------------------------------------------------
# Tables
# ------------------------------------------------------------------------------
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"  # BaseTable uses its own (common/tables.py)

# ------------------------------------------------------------------------------
# Logging: one line per event.
# ------------------------------------------------------------------------------
LOG_LEVEL = env.str("DJANGO_LOG_LEVEL", default="INFO")
LOG_JSON = env.bool("DJANGO_LOG_JSON", default=False)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "common.logging.ContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [req=%(request_id)s task=%(task_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(task_id)s %(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json" if LOG_JSON else "plain",
                    "filters": ["context"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}


# --------------------------------------------------------------------------------------
# The API (/api/v1/) and webhooks: api/
# --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.auth.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.auth.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env("API_RATE_LIMIT", default="120/min")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kinship Shop API",
    "DESCRIPTION": "Sellers' and creators' numbers for their own tools. Authenticate with a personal token: "
                   "`Authorization: Bearer ksk_…` (make one on /settings/api/). Money is an object with the amount "
                   "as a string, the currency and its minor unit; times are ISO 8601 in UTC.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
# Webhooks go to public https:// addresses only; development and tests may allow any.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", default=False)
