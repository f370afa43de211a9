"""Checks that stop a production process at start-up with a message that says what to fix."""

import redis
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection


def verify_services() -> None:
    """The database and Redis must answer before gunicorn or a worker takes any work."""
    db = settings.DATABASES["default"]
    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        where = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 'default port'}/{db.get('NAME')}"
        raise ImproperlyConfigured(
            f"Cannot reach the database at {where} ({exc.__class__.__name__}: {str(exc).strip()[:200]}). "
            "Check DATABASE_URL and that PostgreSQL is running."
        ) from exc
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3, socket_timeout=3).ping()
    except (redis.RedisError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"Cannot reach Redis at REDIS_URL ({exc.__class__.__name__}: {str(exc)[:200]}). "
            "Check REDIS_URL and that Redis is running."
        ) from exc
