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

from django.conf import settings

from common import streams

from .services import commissions_create_for_orders

GROUP = "kinship-commissions"


def enabled() -> bool:
    return settings.COMMISSIONS_MICROBATCH


def _flag() -> str:
    return f"{settings.COMMISSIONS_DUE_STREAM}:drain-sent"


def add(order_ids: list[int]) -> bool:
    """Queue the orders; True when the caller should send a drain (none was sent within
    the last COMMISSIONS_DRAIN_EVERY_MS). Raises redis.RedisError if Redis is away."""
    client = streams.client()
    client.xadd(settings.COMMISSIONS_DUE_STREAM, {"orders": ",".join(str(pk) for pk in order_ids)})
    return bool(client.set(_flag(), 1, nx=True, px=settings.COMMISSIONS_DRAIN_EVERY_MS))


def drain(*, consumer: str | None = None, reclaim_after_ms: int = 60_000, max_batches: int = 200) -> tuple[int, bool]:
    """Compute what the stream holds, a batch at a time. Returns (commissions made, whether
    entries may be left because `max_batches` was reached: the caller sends another drain)."""
    client, made, done = streams.client(), 0, 0
    for entries in streams.batches(
            client, stream=settings.COMMISSIONS_DUE_STREAM, group=GROUP, consumer=consumer or streams.this_consumer(),
            count=settings.COMMISSIONS_DUE_BATCH, max_batches=max_batches, reclaim_after_ms=reclaim_after_ms,
            # From here on, an order queued sends a drain of its own.
            before_last_look=lambda: client.delete(_flag())):
        order_ids = sorted({int(pk) for _, fields in entries for pk in fields[b"orders"].split(b",")})
        made += commissions_create_for_orders(order_ids=order_ids)  # commits before the acknowledgement
        done += 1
    return made, done == max_batches
