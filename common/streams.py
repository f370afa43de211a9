"""Work queued on a Redis stream, read in batches through a consumer group.

The click flush (tracking/clicks.py) and the commissions drain (payouts/due.py) both
read this way: each worker process is its own consumer, so Redis hands each entry to one
of them; a batch is acknowledged (and deleted) only after the caller has finished with it
and asks for the next one; entries a consumer read and never acknowledged (it died) are
claimed by another once idle for `reclaim_after_ms`.
"""

import os
import socket
from collections.abc import Callable, Iterator

import redis
from django.conf import settings

_clients: dict[str, redis.Redis] = {}


def client() -> redis.Redis:
    """This process's Redis client for reading and writing work streams (one per REDIS_URL)."""
    url = settings.REDIS_URL
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
    return _clients[url]


def this_consumer() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def ensure_group(client: redis.Redis, stream: str, group: str) -> None:
    try:
        client.xgroup_create(stream, group, id="0", mkstream=True)
    except redis.ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


def batches(client: redis.Redis, *, stream: str, group: str, consumer: str, count: int, max_batches: int,
            reclaim_after_ms: int, before_last_look: Callable[[], None] | None = None) -> Iterator[list]:
    """Yield up to `max_batches` batches of (entry id, fields), first what a dead consumer
    left, then new entries. A batch is acknowledged when the caller asks for the next one
    (so not if the caller raised). When the stream looks empty, `before_last_look()` runs
    and the stream is read once more before stopping."""
    ensure_group(client, stream, group)
    _, claimed, *_ = client.xautoclaim(stream, group, consumer, min_idle_time=reclaim_after_ms, start_id="0-0",
                                       count=count)
    pending = [entry for entry in claimed if entry[1]]

    def read() -> list:
        response = client.xreadgroup(group, consumer, {stream: ">"}, count=count)
        return response[0][1] if response else []

    for _ in range(max_batches):
        pending = pending or read()
        if not pending and before_last_look is not None:
            before_last_look()
            pending = read()
        if not pending:
            return
        yield pending
        ids = [entry_id for entry_id, _ in pending]
        client.xack(stream, group, *ids)
        client.xdel(stream, *ids)
        pending = []
