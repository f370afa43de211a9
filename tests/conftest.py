"""Shared fixtures and the rule for tests that need real services.

A test marked `postgres` or `redis` runs when the service is configured and answers.
Otherwise it is skipped with the reason, or fails when REQUIRE_SERVICES=1 (as CI sets).
"""

import os

import pytest
import redis
from django.conf import settings
from django.db import connection

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _missing(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _missing("PostgreSQL is not configured (set DATABASE_URL=postgres://...)")
    if item.get_closest_marker("redis"):
        if not settings.REDIS_URL:
            _missing("Redis is not configured (set REDIS_URL=redis://...)")
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
        except redis.RedisError as exc:
            _missing(f"Redis at REDIS_URL does not answer: {exc}")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A reused test database may come from a session that ended with a flush."""
    from tests.data_rows import restore

    with django_db_blocker.unblock():
        restore()


@pytest.fixture(autouse=True)
def _clear_cache():
    """The cache holds rate-limit counters and resolved codes: no test sees another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
