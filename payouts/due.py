"""Commissions due, computed in micro-batches as buyers pay.

Computing one order's commissions costs about twenty queries, most of them the same for
a thousand orders as for one. So when Redis is there, a paid, attributed order is not a
task of its own: its id goes on a Redis stream (`COMMISSIONS_DUE_STREAM`), and a drain
task reads the stream through a consumer group, computes up to `COMMISSIONS_DUE_BATCH`
orders in one call of `commissions_create_for_orders`, and acknowledges the entries only
after that committed. While orders keep coming, a drain is sent at most every
`COMMISSIONS_DRAIN_EVERY_MS`, so several drains (one per worker process) share the work;
a drain stops when the stream is empty.

Nothing is lost:
- a drain clears the "drain sent" flag before its last look at the stream, so an order
  queued after that look sends a drain of its own;
- entries a dead drain read and never acknowledged are claimed by the next drain once
  idle for a minute; computing an order twice makes nothing twice (one commission per
  line, by constraint);
- the hourly sweeper still computes any paid, attributed order left without commissions.

Without Redis (the embedded default) and in eager tests, each order is its own task.
"""

import os
import socket

import redis
from django.conf import settings

from .services import commissions_create_for_orders

GROUP = "kinship-commissions"

_client = None


def enabled() -> bool:
    return settings.COMMISSIONS_MICROBATCH


def _redis() -> redis.Redis:
    global _client
    if _client is None:
        _client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5, socket_connect_timeout=2)
    return _client


def _flag() -> str:
    return f"{settings.COMMISSIONS_DUE_STREAM}:drain-sent"


def add(order_ids: list[int]) -> bool:
    """Queue the orders; True when the caller should send a drain (none was sent within
    the last COMMISSIONS_DRAIN_EVERY_MS). Raises redis.RedisError if Redis is away."""
    client = _redis()
    client.xadd(settings.COMMISSIONS_DUE_STREAM, {"orders": ",".join(str(pk) for pk in order_ids)})
    return bool(client.set(_flag(), 1, nx=True, px=settings.COMMISSIONS_DRAIN_EVERY_MS))


def _ensure_group(client: redis.Redis) -> None:
    try:
        client.xgroup_create(settings.COMMISSIONS_DUE_STREAM, GROUP, id="0", mkstream=True)
    except redis.ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


def drain(*, consumer: str | None = None, reclaim_after_ms: int = 60_000, max_batches: int = 200) -> tuple[int, bool]:
    """Compute what the stream holds, a batch at a time. Returns (commissions made, whether
    entries are left because `max_batches` was reached: the caller sends another drain)."""
    client, stream = _redis(), settings.COMMISSIONS_DUE_STREAM
    consumer = consumer or f"{socket.gethostname()}-{os.getpid()}"
    batch = settings.COMMISSIONS_DUE_BATCH
    _ensure_group(client)

    def read() -> list:
        response = client.xreadgroup(GROUP, consumer, {stream: ">"}, count=batch)
        return response[0][1] if response else []

    _, claimed, *_ = client.xautoclaim(stream, GROUP, consumer, min_idle_time=reclaim_after_ms, start_id="0-0",
                                       count=batch)
    pending = [entry for entry in claimed if entry[1]]
    made = 0
    for _ in range(max_batches):
        pending = pending or read()
        if not pending:
            client.delete(_flag())  # from here on, a queued order sends a drain of its own
            pending = read()
            if not pending:
                return made, False
        order_ids = sorted({int(pk) for _, fields in pending for pk in fields[b"orders"].split(b",")})
        made += commissions_create_for_orders(order_ids=order_ids)  # commits before the acknowledgement
        entry_ids = [entry_id for entry_id, _ in pending]
        client.xack(stream, GROUP, *entry_ids)
        client.xdel(stream, *entry_ids)
        pending = []
    return made, True
