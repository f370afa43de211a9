"""Production settings refuse to start half-configured; local and test settings need nothing."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


CONFIGURED = {"DJANGO_SECRET_KEY": "x" * 50, "REDIS_URL": "redis://127.0.0.1:6379/0",
              "SITE_URL": "https://shop.example.com", "PAYMENT_TEST_GATEWAY_ALLOWED": "True"}


def _load(settings_module: str, **env):
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DJANGO_SECRET_KEY", "REDIS_URL", "DATABASE_URL", "SITE_URL", "PAYMENT_GATEWAY",
                          "PAYMENT_TEST_GATEWAY_ALLOWED", "MEDIA_S3_BUCKET"}}
    clean.update(env, DJANGO_SETTINGS_MODULE=settings_module)
    return subprocess.run(
        [sys.executable, "-c",
         "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60,
    )


def _without(*names, **changes):
    return {**{k: v for k, v in CONFIGURED.items() if k not in names}, **changes}


def test_production_refuses_to_start_without_a_secret_key():
    result = _load("config.settings.production", **_without("DJANGO_SECRET_KEY"))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_redis():
    result = _load("config.settings.production", **_without("REDIS_URL"))
    assert result.returncode != 0
    assert "REDIS_URL is not set" in result.stderr


def test_production_starts_when_configured():
    result = _load("config.settings.production", **CONFIGURED)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_production_refuses_to_start_without_the_sites_address():
    result = _load("config.settings.production", **{**CONFIGURED, "SITE_URL": ""})
    assert result.returncode != 0
    assert "SITE_URL is not set" in result.stderr
    assert _load("config.settings.production", **{**CONFIGURED, "SITE_URL": "shop.example.com"}).returncode != 0


def test_production_refuses_the_test_gateway_unless_a_demo_says_so():
    result = _load("config.settings.production", **{**CONFIGURED, "PAYMENT_TEST_GATEWAY_ALLOWED": "False"})
    assert result.returncode != 0
    assert "PAYMENT_GATEWAY is the test gateway" in result.stderr and "moves no money" in result.stderr
    real = {**CONFIGURED, "PAYMENT_TEST_GATEWAY_ALLOWED": "False", "PAYMENT_GATEWAY": "myprovider.Gateway"}
    assert _load("config.settings.production", **real).returncode == 0


def test_local_settings_need_no_environment():
    result = _load("config.settings.local")
    assert result.returncode == 0, result.stderr


def test_embedded_default_runs_celery_eagerly_on_sqlite():
    result = subprocess.run(
        [sys.executable, "-c",
         "import django; django.setup(); from django.conf import settings as s;"
         "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.CACHES['default']['BACKEND'])"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**{k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}},
             "DJANGO_SETTINGS_MODULE": "config.settings.local"},
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3", "True", "django.core.cache.backends.locmem.LocMemCache"
    ]


def test_production_refuses_a_redis_url_that_is_not_one():
    result = _load("config.settings.production", **_without(REDIS_URL="http://127.0.0.1:6379/0"))
    assert result.returncode != 0
    assert "REDIS_URL must start with redis://" in result.stderr


def _verify(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SECRET_KEY", "REDIS_URL", "DATABASE_URL"}}
    clean.update(CONFIGURED, **env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from config.startup import verify_services; "
                               "verify_services()"],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60,
    )


def test_an_unreachable_database_stops_production_at_start_with_a_clear_message():
    result = _verify(DATABASE_URL="postgres://postgres@127.0.0.1:1/nowhere", REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.returncode != 0
    assert "Cannot reach the database at 127.0.0.1:1/nowhere" in result.stderr


def test_an_unreachable_redis_stops_production_at_start_with_a_clear_message():
    result = _verify(DATABASE_URL="sqlite:////tmp/kinship-verify.sqlite3", REDIS_URL="redis://127.0.0.1:1/0")
    assert result.returncode != 0
    assert "Cannot reach Redis at REDIS_URL" in result.stderr
