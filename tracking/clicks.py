"""The click pipeline: from a redirect to a stored, flagged, rolled-up Click.

With Redis (REDIS_URL) the redirect appends the click to a Redis stream and answers; the
periodic `flush_clicks` task reads the stream through a consumer group, stores a batch in
one transaction, and acknowledges the entries only after that transaction commits. Click
ids are made in the redirect, so an entry delivered twice is stored once. Without Redis,
or while Redis is down, the redirect stores its click directly through the same
`clicks_store`.
"""

import contextlib
import functools
import hashlib
import hmac
import logging
import re
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import psycopg
import redis
from django.conf import settings
from django.db import connection, transaction

from affiliates.models import Content
from common import streams

from .models import Click, Link
from .rollups import Increment, rollup_add

logger = logging.getLogger(__name__)

BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|facebookexternalhit|embedly|preview|curl|wget|python-|httpclient|java/|go-http|"
    r"okhttp|headless|phantomjs|lighthouse|pingdom|uptime|monitor|scrapy|feedfetcher|whatsapp|telegram|discord",
    re.IGNORECASE,
)
NON_NAVIGATION_DESTS = {"image", "iframe", "frame", "embed", "object", "script", "style", "font", "audio", "video",
                        "track", "worker", "manifest", "empty"}


@dataclass(frozen=True)
class ClickData:
    """A click as the redirect saw it; duplicate and burst flags are decided when stored."""

    id: str  # 32 hex characters
    link_id: int
    at: float  # epoch seconds
    visitor_id: str
    ip_hash: str
    user_agent: str
    referrer: str
    is_bot: bool
    is_prefetch: bool
    content_id: int | None = None  # from the link's content tag; checked when stored
    # The redirect gave this visitor their id just now: no click of theirs can be stored yet.
    new_visitor: bool = False

    def to_stream(self) -> dict:
        """One field, tab-separated: the cheapest entry to write on the hot path. The
        content id comes before the free-text fields (0: none)."""
        return dict([self.to_stream_fields()])

    def to_stream_fields(self) -> tuple[str, str]:
        ua, ref = self.user_agent.replace("\t", " "), self.referrer.replace("\t", " ")
        flags = int(self.is_prefetch) | 2 * int(self.new_visitor)  # an entry of before new_visitor: 0 or 1
        return ("c", f"{self.id}\t{self.link_id}\t{self.at!r}\t{self.visitor_id}\t{self.ip_hash}\t"
                     f"{int(self.is_bot)}\t{flags}\t{self.content_id or 0}\t{ua}\t{ref}")

    @classmethod
    def from_stream(cls, fields: dict) -> "ClickData":
        parts = fields[b"c"].decode("utf-8", "replace").split("\t", 9)
        click_id, link_id, at, visitor, ip, bot, flags, content, ua, ref = parts
        return cls(id=click_id, link_id=int(link_id), at=float(at), visitor_id=visitor, ip_hash=ip,
                   user_agent=ua, referrer=ref, is_bot=bot == "1", is_prefetch=bool(int(flags) & 1),
                   content_id=int(content) or None, new_visitor=bool(int(flags) & 2))


@functools.cache
def _ip_key(secret: str) -> bytes:
    return hashlib.sha256(f"ip-hash:{secret}".encode()).digest()


def ip_hash(ip: str) -> str:
    """A keyed hash of the address: enough to see bursts from one IP, never the IP itself."""
    return hmac.new(_ip_key(settings.SECRET_KEY), ip.encode(), hashlib.sha256).hexdigest()[:32]


def is_bot(user_agent: str) -> bool:
    """Whether the user agent names a robot or none is given. Usual-length strings are
    remembered: most visitors send one of a few hundred browsers' strings, and the pattern
    is the redirect's dearest step after Redis (a cache of at most 4,096 x 512 characters)."""
    return _is_bot(user_agent) if len(user_agent) <= 512 else _looks_like_bot(user_agent)


def _looks_like_bot(user_agent: str) -> bool:
    return not user_agent or bool(BOT_PATTERN.search(user_agent))


_is_bot = functools.lru_cache(maxsize=4096)(_looks_like_bot)


def is_prefetch(*, dest: str, mode: str, purpose: str) -> bool:
    """Prefetches and requests that are not a person navigating get no attribution cookie."""
    return dest in NON_NAVIGATION_DESTS or mode == "no-cors" or "prefetch" in purpose or "prerender" in purpose


# --------------------------------------------------------------------------------------
# Storing a batch
# --------------------------------------------------------------------------------------


def _aware(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)


@transaction.atomic
def clicks_store(batch: list[ClickData]) -> int:
    """Store the clicks not stored yet, flag duplicates and bursts, and add them to the
    rollups, in one transaction. Returns how many were new."""
    if not batch:
        return 0
    batch = list({click.id: click for click in batch}.values())  # an entry delivered twice in one batch
    # A click's time travels with its id: looking in the batch's time range only reads
    # the month partitions it can be in.
    start, end = _aware(min(click.at for click in batch)), _aware(max(click.at for click in batch))

    # One read of the stored clicks near the batch: the same visitors' clicks on the same
    # links within the duplicate window before it, and so also any click of the batch
    # stored before (an entry delivered again), which is not stored twice. A visitor the
    # redirect has just given an id has none (most visitors a creator sends are new): no
    # lookup. Their click delivered again is still stored once: the insert skips known ids
    # (it may count once more towards its minute's burst limit).
    window = settings.TRACKING_DUPLICATE_MINUTES * 60  # seconds: the batch's times are epoch seconds
    last_seen: dict[tuple[str, int], float] = {}
    known: set[str] = set()
    returning = {c.visitor_id for c in batch if not c.new_visitor}
    for pk, visitor, link_id, at in (
        Click.objects.filter(visitor_id__any_of=returning, link_id__any_of={c.link_id for c in batch},
                             at__gte=start - timedelta(seconds=window), at__lte=end)
        .order_by("at").values_list("pk", "visitor_id", "link_id", "at") if returning else ()
    ):
        known.add(pk.hex)
        last_seen[(visitor, link_id)] = at.timestamp()
    fresh = sorted((c for c in batch if c.id not in known), key=lambda click: click.at)
    if not fresh:
        return 0
    # Bursts: clicks per IP hash and minute, counting those stored before.
    burst_limit = settings.TRACKING_BURST_PER_MINUTE
    minute_counts = _stored_per_minute({(c.ip_hash, int(c.at // 60)) for c in fresh}, more_than=burst_limit)

    content_ok = _content_checked(fresh)
    days: dict[int, date] = {}  # epoch day -> its date (UTC)
    rows, increments = [], []
    for click in fresh:
        previous = last_seen.get((click.visitor_id, click.link_id))
        duplicate = previous is not None and click.at - previous < window
        last_seen[(click.visitor_id, click.link_id)] = click.at
        bucket = (click.ip_hash, int(click.at // 60))
        minute_counts[bucket] += 1
        burst = minute_counts[bucket] > burst_limit
        flagged = click.is_bot or click.is_prefetch or burst
        content_id = click.content_id if (click.content_id, click.link_id) in content_ok else None
        # In CLICK_COLUMNS' order: a tuple per row, no model instance (5,000 of them cost more than the insert).
        rows.append((click.id, click.link_id, click.at, click.visitor_id[:36], click.ip_hash[:32],
                     click.user_agent[:300], click.referrer[:500], click.is_bot, click.is_prefetch, duplicate, burst,
                     content_id))
        day = int(click.at // 86400)
        if day not in days:
            days[day] = _aware(click.at).date()
        increments.append(Increment(day=days[day], link_id=click.link_id, content_id=content_id, values={
            "clicks": 1, "unique_clicks": int(not duplicate and not flagged), "flagged_clicks": int(flagged)}))
    skipped = _insert_new(rows)
    rollup_add(increment for row, increment in zip(rows, increments, strict=True) if row[0] not in skipped)
    return len(rows) - len(skipped)


def _stored_per_minute(buckets: set[tuple[str, int]], *, more_than: int) -> dict[tuple[str, int], int]:
    """How many clicks are stored per (IP hash, epoch minute), counted up to `more_than` + 1
    (past that, every further click of the minute is a burst anyway). On PostgreSQL each
    bucket reads at most that many index entries: an address sending thousands a minute,
    exactly what this looks for, costs a batch no more than one sending a few."""
    counts: dict[tuple[str, int], int] = defaultdict(int)
    if not buckets:
        return counts
    ips, minutes = zip(*sorted(buckets), strict=True)
    if connection.vendor == "postgresql":
        sql = (f"SELECT k.ip, k.minute, (SELECT count(*) FROM (SELECT 1 FROM {Click._meta.db_table} c "  # noqa: S608
               "WHERE c.ip_hash = k.ip AND c.at >= to_timestamp(k.minute * 60) "
               "AND c.at < to_timestamp(k.minute * 60 + 60) LIMIT %s) s) "
               "FROM unnest(%s::text[], %s::bigint[]) AS k(ip, minute)")
        with connection.cursor() as cursor:
            cursor.execute(sql, [more_than + 1, list(ips), list(minutes)])
            counts.update({(ip, minute): count for ip, minute, count in cursor.fetchall()})
        return counts
    for ip, at in Click.objects.filter(ip_hash__in=set(ips), at__gte=_aware(min(minutes) * 60),
                                       at__lt=_aware(max(minutes) * 60 + 60)).values_list("ip_hash", "at"):
        counts[(ip, int(at.timestamp() // 60))] += 1
    return counts


# A row as clicks_store makes it: the id as 32 hex digits and the time in epoch seconds.
CLICK_COLUMNS = [("id", "text"), ("link_id", "bigint"), ("at", "float8"), ("visitor_id", "text"),
                 ("ip_hash", "text"), ("user_agent", "text"), ("referrer", "text"), ("is_bot", "boolean"),
                 ("is_prefetch", "boolean"), ("is_duplicate", "boolean"), ("is_burst", "boolean"),
                 ("content_id", "bigint")]
_STORED_AS = {"id": "k.id::uuid", "at": "to_timestamp(k.at)"}


def _insert_new(rows: list[tuple]) -> set[str]:
    """Insert the clicks (tuples in CLICK_COLUMNS' order) whose id is not stored yet; return
    the ids it skipped (stored before: usually none). PostgreSQL: one INSERT ... SELECT
    FROM unnest ... ON CONFLICT DO NOTHING (the key is (id, at), and a click's time travels
    with its id), so two flushers storing the same click at the same moment count it once;
    the statement answers with the ids it did not insert. Elsewhere (SQLite, one process at
    a time): the ids found stored before are the ones skipped."""
    names = [name for name, _ in CLICK_COLUMNS]
    if connection.vendor != "postgresql":
        ids = {uuid.UUID(row[0]): row[0] for row in rows}
        skipped = {ids[pk] for pk in Click.objects.filter(pk__in=ids).values_list("pk", flat=True)}
        Click.objects.bulk_create([Click(**{**dict(zip(names, row, strict=True)), "id": uuid.UUID(row[0]),
                                            "at": _aware(row[2])}) for row in rows if row[0] not in skipped])
        return skipped
    arrays = ", ".join(f"%b::{kind}[]" for _, kind in CLICK_COLUMNS)  # %b: a parameter in binary format
    stored = ", ".join(_STORED_AS.get(name, f"k.{name}") for name in names)
    sql = (f"WITH k AS (SELECT * FROM unnest({arrays}) AS k({', '.join(names)})), "  # noqa: S608 - our names
           f"inserted AS (INSERT INTO {Click._meta.db_table} ({', '.join(names)}) SELECT {stored} FROM k "
           "ON CONFLICT DO NOTHING RETURNING id) "
           "SELECT k.id FROM k WHERE NOT EXISTS (SELECT 1 FROM inserted i WHERE i.id = k.id::uuid)")
    connection.ensure_connection()
    # The arrays go as parameters in PostgreSQL's binary format, on a cursor of the same
    # connection (so in the same transaction): Django's cursors write every value into the
    # statement as text, escaping each string of a 5,000-click batch one by one.
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])
        return {pk for (pk,) in cursor.fetchall()}


def _content_checked(batch: list[ClickData]) -> set[tuple[int, int]]:
    """The (content id, link id) pairs of the batch that are real: the content piece is the
    link's creator's and features the link's product. Any other tag (typed by hand, or
    another creator's) is dropped; the click still counts for the link. Two queries."""
    pairs = {(c.content_id, c.link_id) for c in batch if c.content_id}
    if not pairs:
        return set()
    links = {pk: (creator, product) for pk, creator, product in Link.objects.filter(
        pk__in={link for _, link in pairs}).values_list("pk", "creator_id", "product_id")}
    featured = set(Content.products.through.objects.filter(content_id__in={content for content, _ in pairs})
                   .values_list("content_id", "content__creator_id", "product_id"))
    return {(content, link) for content, link in pairs if link in links and (content, *links[link]) in featured}


# --------------------------------------------------------------------------------------
# The Redis stream
# --------------------------------------------------------------------------------------

_client = None
_down_until = 0.0
BREAKER_SECONDS = 5.0


def redis_client() -> redis.Redis | None:
    """The shared client, or None without Redis or while a recent failure keeps it open."""
    global _client
    if not settings.TRACKING_REDIS or time.monotonic() < _down_until:
        return None
    if _client is None:
        # One connection per process, kept open: a sync worker handles one request at a time.
        # It connects at once, so a Redis that is away is noticed here, not in the caller.
        try:
            _client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=0.5, socket_connect_timeout=0.5,
                                           single_connection_client=True, protocol=2)
        except redis.RedisError:
            _trip()
            return None
    return _client


def _trip() -> None:
    """Stop using Redis for a few seconds, and reconnect afresh after that."""
    global _down_until, _client
    _down_until = time.monotonic() + BREAKER_SECONDS
    if _client is not None:
        with contextlib.suppress(Exception):
            _client.close()
    _client = None


def reset_breaker() -> None:
    global _down_until, _client
    _down_until, _client = 0.0, None


class QueuedClick:
    """A click whose XADD is on its way to Redis: `confirm()` waits for Redis's answer
    (the redirect does its cookie work meanwhile) and says where the click went. Between
    the two this thread holds the client's connection (redis-py's own lock), so threads
    sharing the client never read each other's answers; always confirm."""

    def __init__(self, click: ClickData, client: redis.Redis | None):
        self.click, self.client = click, client

    def confirm(self) -> str:
        """Never raises for Redis: if Redis did not take the click, it goes to the database."""
        if self.client is not None:
            try:
                self.client.connection.read_response()
                return "stream"
            except redis.RedisError:
                _trip()
                logger.warning("Redis unavailable: storing clicks directly for %ss", BREAKER_SECONDS)
            finally:
                self.client.single_connection_lock.release()
        clicks_store([self.click])
        return "database"


def click_send(click: ClickData) -> QueuedClick:
    """Called by the redirect: send the click to the stream without waiting for the answer
    (confirm() it before answering the browser)."""
    client = redis_client()
    if client is not None:
        client.single_connection_lock.acquire()
        try:
            client.connection.send_command("XADD", settings.TRACKING_STREAM, "*", *click.to_stream_fields())
            return QueuedClick(click, client)
        except redis.RedisError:
            client.single_connection_lock.release()
            _trip()
            logger.warning("Redis unavailable: storing clicks directly for %ss", BREAKER_SECONDS)
    return QueuedClick(click, None)


def flush_clicks(*, consumer: str | None = None, max_batches: int = 50, reclaim_after_ms: int = 60_000) -> int:
    """Move clicks from the stream to the database in batches; returns how many were new.

    Several flushers may run at once (one per worker process): each is its own consumer
    in the stream's consumer group, so Redis hands each entry to one of them. Entries are
    acknowledged (and deleted) only after their batch committed; entries a flusher read
    and never acknowledged (it died) are claimed by another once idle for
    `reclaim_after_ms`. A click stored twice (claimed while its first flusher was only
    slow) is still stored once: the insert skips ids that exist and only what it inserted
    is added to the rollups.
    """
    if not settings.TRACKING_REDIS:
        return 0
    stored = 0
    for entries in streams.batches(streams.client(), stream=settings.TRACKING_STREAM,
                                   group=settings.TRACKING_STREAM_GROUP,
                                   consumer=consumer or streams.this_consumer(), count=settings.TRACKING_FLUSH_BATCH,
                                   max_batches=max_batches, reclaim_after_ms=reclaim_after_ms):
        # Stored (committed) before the stream acknowledges the batch, when the next is asked for.
        stored += clicks_store([ClickData.from_stream(fields) for _, fields in entries if fields])
    return stored
