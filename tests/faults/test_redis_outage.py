"""A real Redis stops in the middle of redirects: they keep answering, clicks fall back to
the database, none is lost; Redis comes back, the stream drains, nothing is stored twice.

The test runs its own redis-server (append-only file, its own port) so stopping it
disturbs nobody else.
"""

import contextlib
import shutil
import subprocess
import time
import uuid

import pytest
import redis
from django.test import Client

from tests.factories import LinkFactory
from tracking import clicks
from tracking.models import Click, DailyLinkStats

pytestmark = [pytest.mark.redis, pytest.mark.django_db]
PORT = 6391
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


def _start(folder):
    subprocess.run(["redis-server", "--port", str(PORT), "--bind", "127.0.0.1", "--daemonize", "yes",
                    "--dir", str(folder), "--appendonly", "yes", "--appendfsync", "always", "--save", "",
                    "--pidfile", str(folder / "redis.pid"), "--logfile", str(folder / "redis.log")], check=True)
    client = redis.Redis(port=PORT)
    for _ in range(50):
        try:
            if client.ping():
                return client
        except redis.ConnectionError:
            time.sleep(0.1)
    raise AssertionError("redis-server did not start")


def _stop(client):
    with contextlib.suppress(redis.ConnectionError):
        client.shutdown(nosave=True)
    for _ in range(50):
        try:
            client.ping()
            time.sleep(0.1)
        except redis.ConnectionError:
            return


@pytest.fixture
def own_redis(settings, tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    _start(tmp_path)
    settings.REDIS_URL = f"redis://127.0.0.1:{PORT}/0"
    settings.TRACKING_REDIS = True
    settings.TRACKING_STREAM = f"kinship-fault:{uuid.uuid4().hex}"
    clicks.reset_breaker()
    yield tmp_path
    _stop(redis.Redis(port=PORT))
    clicks.reset_breaker()


def _hits(link, n):
    browser = Client()
    return [browser.get(f"/r/{link.code}", HTTP_USER_AGENT=CHROME).status_code for _ in range(n)]


def test_redis_stops_during_redirects_and_comes_back(own_redis):
    link = LinkFactory()
    assert _hits(link, 5) == [302] * 5  # queued in the stream
    assert Click.objects.count() == 0

    _stop(redis.Redis(port=PORT))  # Redis goes down
    clicks.reset_breaker()
    assert _hits(link, 7) == [302] * 7  # still answering
    assert Click.objects.count() == 7  # written to the database instead

    _start(own_redis)  # Redis is back, with the entries it had (append-only file)
    clicks.reset_breaker()
    assert _hits(link, 3) == [302] * 3
    assert clicks.flush_clicks() == 8  # the 5 from before the outage and the 3 after
    assert clicks.flush_clicks() == 0
    assert Click.objects.count() == 15
    assert DailyLinkStats.objects.get(link=link).clicks == 15
