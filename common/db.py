"""Dashboard and report reads from a PostgreSQL streaming replica, where that is safe.

With DATABASE_REPLICA_URL set, settings add a `replica` alias. The selectors that read the
rollups for dashboards and reports are marked `@replica_read`; while one runs, the router
sends reads to the replica, except:

- inside a transaction on the primary (it must see its own writes);
- for a person whose last write the replica has not replayed yet. After any POST (or other
  unsafe method) `PrimaryAfterWriteMiddleware` gives the browser a cookie with the
  primary's WAL position; while the replica's replay position is behind it, that person
  reads the primary, so a lagging replica never shows them a page missing what they did.
  Once the replica has caught up, the cookie goes;
- for 30 seconds after the replica failed to answer (reads fall back to the primary).

Writes always go to the primary, and everything not marked reads the primary. Without a
replica configured, none of this does anything.
"""

import functools
import re
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import QuerySet

REPLICA = "replica"
COOKIE = "kinship_wal"
DOWN_SECONDS = 30.0
_POSITION = re.compile(r"^[0-9A-F]{1,8}/[0-9A-F]{1,8}$")
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

_reading_replica: ContextVar[bool] = ContextVar("kinship_reading_replica", default=False)
_pinned: ContextVar[bool] = ContextVar("kinship_pinned_to_primary", default=False)
_down_until = 0.0


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def _mark_down() -> None:
    global _down_until
    _down_until = time.monotonic() + DOWN_SECONDS
    connections[REPLICA].close()


def replica_usable() -> bool:
    """Whether a read marked for the replica may go there now (see the module's rules)."""
    return (replica_configured() and not _pinned.get() and time.monotonic() >= _down_until
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block)


def _replica_answers() -> bool:
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError:
        _mark_down()
        return False
    return True


@contextmanager
def _reading():
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def replica_read(func):
    """Run a read-only selector against the replica when `replica_usable()`; a QuerySet it
    returns stays bound to the database it was built for. If the replica fails while the
    selector runs, it runs again on the primary."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if _reading_replica.get() or not replica_usable() or not _replica_answers():
            return func(*args, **kwargs)
        try:
            with _reading():
                result = func(*args, **kwargs)
        except DatabaseError:
            _mark_down()
            return func(*args, **kwargs)
        return result.using(REPLICA) if isinstance(result, QuerySet) else result

    return wrapper


class ReplicaRouter:
    """Reads inside a `@replica_read` selector go to the replica; every write, and every
    other read, to the primary. Migrations run on the primary only (the replica copies)."""

    def db_for_read(self, model, **hints):
        return REPLICA if _reading_replica.get() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


def replica_has_replayed(position: str) -> bool:
    """Whether the replica has replayed the primary's WAL up to `position`. A replica that
    does not answer has not (and is left alone for a while)."""
    try:
        with connections[REPLICA].cursor() as cursor:
            # NULL: the alias names a server that is not a standby; it has everything.
            cursor.execute("SELECT coalesce(pg_last_wal_replay_lsn() >= %s::pg_lsn, true)", [position])
            return bool(cursor.fetchone()[0])
    except DatabaseError:
        _mark_down()
        return False


def primary_position() -> str | None:
    """The primary's WAL insert position: every write committed so far lies before it."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        return cursor.fetchone()[0]


class PrimaryAfterWriteMiddleware:
    """Read-your-writes with a lagging replica: see the module's docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        seen = request.COOKIES.get(COOKIE, "")
        behind = bool(_POSITION.match(seen)) and not replica_has_replayed(seen)
        token = _pinned.set(behind)
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if request.method not in _SAFE_METHODS:
            response.set_cookie(COOKIE, primary_position(), max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                                httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        elif seen and not behind:
            response.delete_cookie(COOKIE, samesite="Lax")
        return response
