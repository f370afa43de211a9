"""Two click flushers read the stream at once (one consumer group, two consumers); one is
killed with SIGKILL while it holds a batch it read but had not stored. The other claims
that batch once it has been idle: every click is stored exactly once, and the rollups
count each once."""

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
import redis
from django.conf import settings as django_settings
from django.db.models import Sum

from tests.factories import LinkFactory
from tracking import clicks
from tracking.models import Click, DailyLinkStats

from .workers import LOGS, ROOT

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
CLICKS = 600

FLUSHER = """
import os, time
from tracking import clicks
store = clicks.clicks_store
def slow(batch):
    time.sleep(float(os.environ["FLUSHER_SLOW"]))  # a batch read and held, not yet stored
    return store(batch)
clicks.clicks_store = slow
while True:
    clicks.flush_clicks(consumer=os.environ["FLUSHER_NAME"], reclaim_after_ms=1500)
    time.sleep(0.1)
"""


def _flusher(name: str, stream: str, slow: float) -> subprocess.Popen:
    db = django_settings.DATABASES["default"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "REDIS_URL": django_settings.REDIS_URL,
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
           "TRACKING_STREAM": stream, "FLUSHER_NAME": name, "FLUSHER_SLOW": str(slow),
           "TRACKING_FLUSH_BATCH": "100", "DJANGO_LOG_LEVEL": "WARNING"}
    LOGS.mkdir(parents=True, exist_ok=True)
    with open(LOGS / f"flusher-{name}.log", "ab") as log:
        return subprocess.Popen([sys.executable, "manage.py", "shell", "--no-imports", "-c", FLUSHER], cwd=ROOT,
                                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _pending(server, stream) -> int:
    try:
        return server.xpending(stream, django_settings.TRACKING_STREAM_GROUP)["pending"]
    except redis.ResponseError:  # the flusher has not made the group yet
        return 0


def test_a_flusher_killed_mid_batch_loses_and_doubles_nothing(client, settings):
    stream = f"kinship-test:{uuid.uuid4().hex}"
    settings.TRACKING_REDIS, settings.TRACKING_STREAM = True, stream
    clicks.reset_breaker()
    server = redis.Redis.from_url(django_settings.REDIS_URL)
    links = [LinkFactory() for _ in range(3)]
    for i in range(CLICKS):
        assert client.get(f"/r/{links[i % 3].code}", HTTP_USER_AGENT=CHROME,
                          REMOTE_ADDR=f"10.9.{i // 200}.{i % 200}").status_code == 302
    assert server.xlen(stream) == CLICKS and not Click.objects.exists()
    doomed = _flusher("doomed", stream, slow=30)  # reads a batch, then holds it
    survivor = None
    try:
        deadline = time.monotonic() + 30
        while not _pending(server, stream):
            assert time.monotonic() < deadline, "the first flusher never read a batch"
            time.sleep(0.1)
        survivor = _flusher("survivor", stream, slow=0.05)  # flushes the rest meanwhile
        time.sleep(1)
        os.killpg(doomed.pid, signal.SIGKILL)  # mid-batch: read, never stored nor acknowledged
        doomed.wait(timeout=10)
        deadline = time.monotonic() + 60
        while Click.objects.count() < CLICKS or server.xlen(stream):
            assert time.monotonic() < deadline, (Click.objects.count(), server.xlen(stream))
            time.sleep(0.25)
        time.sleep(1)  # nothing more may arrive
        consumers = {c["name"].decode() for c in server.xinfo_consumers(stream, django_settings.TRACKING_STREAM_GROUP)}
    finally:
        for process in (doomed, survivor):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        server.delete(stream)
    assert {"doomed", "survivor"} <= consumers  # both read from the group
    assert Click.objects.count() == CLICKS == len(set(Click.objects.values_list("id", flat=True)))
    assert DailyLinkStats.objects.aggregate(total=Sum("clicks"))["total"] == CLICKS
