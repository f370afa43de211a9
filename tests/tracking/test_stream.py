"""The click stream on real Redis: queued by the redirect, stored by the batch task,
acknowledged after commit, never lost when Redis is away, never stored twice."""

import uuid

import pytest
import redis
from django.conf import settings as django_settings

from common import streams
from tests.factories import LinkFactory
from tracking import clicks, tasks
from tracking.models import Click, DailyLinkStats

pytestmark = [pytest.mark.redis, pytest.mark.django_db]
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


@pytest.fixture
def stream(settings):
    """A stream of this test's own on the configured Redis, removed afterwards."""
    settings.TRACKING_REDIS = True
    settings.TRACKING_STREAM = f"kinship-test:{uuid.uuid4().hex}"
    client = redis.Redis.from_url(django_settings.REDIS_URL)
    clicks.reset_breaker()
    yield client
    client.delete(settings.TRACKING_STREAM, f"{settings.TRACKING_STREAM}:flush-lock")
    for key in client.scan_iter("kinship:link:*"):
        client.delete(key)


def _hit(client, link, n=1):
    return [client.get(f"/r/{link.code}", HTTP_USER_AGENT=CHROME).status_code for _ in range(n)]


def test_redirects_queue_clicks_and_the_batch_stores_them_once(client, stream, settings):
    link = LinkFactory()
    assert _hit(client, link, 3) == [302] * 3
    assert Click.objects.count() == 0  # nothing written in the request
    assert stream.xlen(settings.TRACKING_STREAM) == 3
    assert tasks.flush_clicks.delay().get() == 3
    assert tasks.flush_clicks.delay().get() == 0  # the batch task run twice: no duplicates
    assert Click.objects.count() == 3
    assert stream.xlen(settings.TRACKING_STREAM) == 0
    stats = DailyLinkStats.objects.get(link=link)
    assert (stats.clicks, stats.unique_clicks) == (3, 1)


def test_an_entry_delivered_twice_is_stored_once(stream, settings):
    link = LinkFactory()
    click = clicks.ClickData(id=uuid.uuid4().hex, link_id=link.pk, at=1_800_000_000.0, visitor_id="v" * 32,
                             ip_hash="h", user_agent=CHROME, referrer="", is_bot=False, is_prefetch=False)
    stream.xadd(settings.TRACKING_STREAM, click.to_stream())
    stream.xadd(settings.TRACKING_STREAM, click.to_stream())
    assert clicks.flush_clicks() == 1
    assert Click.objects.count() == 1


def test_entries_a_crashed_flusher_read_but_never_acknowledged_are_stored(client, stream, settings):
    link = LinkFactory()
    _hit(client, link, 2)
    streams.ensure_group(stream, settings.TRACKING_STREAM, settings.TRACKING_STREAM_GROUP)
    # A flusher reads the entries and dies before storing them.
    read = stream.xreadgroup(settings.TRACKING_STREAM_GROUP, "crashed", {settings.TRACKING_STREAM: ">"}, count=10)
    assert len(read[0][1]) == 2
    assert clicks.flush_clicks(reclaim_after_ms=60_000) == 0  # too fresh to take over yet
    assert clicks.flush_clicks(reclaim_after_ms=0) == 2
    assert Click.objects.count() == 2
    assert stream.xpending(settings.TRACKING_STREAM, settings.TRACKING_STREAM_GROUP)["pending"] == 0


def test_with_redis_down_redirects_answer_and_no_click_is_lost(client, stream, settings):
    link = LinkFactory()
    _hit(client, link, 2)  # queued while Redis is up
    real_url = settings.REDIS_URL
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # Redis goes away
    clicks.reset_breaker()
    assert _hit(client, link, 3) == [302] * 3
    assert Click.objects.count() == 3  # written straight to the database
    settings.REDIS_URL = real_url  # Redis is back
    clicks.reset_breaker()
    assert _hit(client, link, 1) == [302]
    assert clicks.flush_clicks() == 3  # the two from before and the one after
    assert Click.objects.count() == 6
    assert DailyLinkStats.objects.get(link=link).clicks == 6


def test_codes_are_cached_in_redis(client, stream):
    link = LinkFactory()
    _hit(client, link)
    assert stream.get(f"kinship:link:{link.code}") == f"{link.pk}:{link.product_id}".encode()


def test_a_click_redis_refuses_after_taking_it_goes_to_the_database(client, stream, settings):
    """The XADD is sent before the cookies are made and its answer read after: an error
    answer (here the stream's key holds a string) still leaves no click behind."""
    link = LinkFactory()
    stream.set(settings.TRACKING_STREAM, "not a stream")
    assert _hit(client, link, 2) == [302, 302]
    assert Click.objects.count() == 2  # the first refused, then the breaker sends the next straight there
    assert stream.get(settings.TRACKING_STREAM) == b"not a stream"
    stream.delete(settings.TRACKING_STREAM)
    clicks.reset_breaker()
    assert _hit(client, link) == [302]
    assert stream.xlen(settings.TRACKING_STREAM) == 1  # Redis takes clicks again once the breaker closes


def test_threads_sharing_the_client_each_get_their_own_answers(stream, settings):
    """A threaded server (runserver, gthread) shares the process's client: each thread holds
    the connection from its XADD to its answer and then lets it go (a connection left held
    would stop every other thread here), and every click reaches the stream once."""
    import threading

    from tracking import redirect

    link = LinkFactory()
    redirect.resolve(link.code)  # the code cached before the threads start
    results, barrier = [], threading.Barrier(4)

    def clicker():
        barrier.wait(timeout=10)
        for _ in range(50):
            result = redirect.track(link.code, cookies={}, meta={"REMOTE_ADDR": "127.0.0.1",
                                                                 "HTTP_USER_AGENT": CHROME})
            results.append(result.stored_in)

    threads = [threading.Thread(target=clicker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert results == ["stream"] * 200
    assert stream.xlen(settings.TRACKING_STREAM) == 200
    assert Click.objects.count() == 0
