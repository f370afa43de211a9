"""Real Celery workers for fault tests: started as their own process group on a private
queue, so a test can kill one with SIGKILL and start another on the same queue."""

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import redis
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "test-results" / "workers"
VISIBILITY_TIMEOUT = 3  # seconds before an unacknowledged task goes back to the queue


@contextmanager
def private_queue(prefix: str):
    """A queue name no other test uses; its Redis keys are removed afterwards."""
    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    try:
        yield name
    finally:
        redis.Redis.from_url(settings.REDIS_URL).delete(
            name, f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}")


def start_worker(queue: str) -> subprocess.Popen:
    """A solo worker on `queue`, using the test database and Redis. It logs to
    test-results/workers/<queue>.log, which a failing test's message points at."""
    db = settings.DATABASES["default"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "REDIS_URL": settings.REDIS_URL,
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
           "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT), "CELERY_DEFAULT_QUEUE": queue}
    LOGS.mkdir(parents=True, exist_ok=True)
    with open(LOGS / f"{queue}.log", "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", f"--queues={queue}",
             "--loglevel=INFO", "--without-heartbeat", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def kill(worker: subprocess.Popen) -> None:
    """SIGKILL: no goodbye, no acknowledgement for the task it was running."""
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


@contextmanager
def sending_to_redis():
    """Tasks sent inside the block go to Redis for real workers, not run eagerly."""
    from celery import current_app

    conf = current_app.conf
    saved = conf.task_always_eager, conf.broker_url, conf.broker_transport_options
    conf.task_always_eager = False
    conf.broker_url = settings.REDIS_URL
    conf.broker_transport_options = {"visibility_timeout": VISIBILITY_TIMEOUT}
    try:
        yield
    finally:
        conf.task_always_eager, conf.broker_url, conf.broker_transport_options = saved


def wait_for(condition, *, seconds: float, message, queue: str) -> None:
    """Poll `condition` until it holds; on timeout fail with `message()` and the workers' log."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            log = LOGS / f"{queue}.log"
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"
            raise AssertionError(f"{message()}\n--- {log} (end) ---\n{tail}")
        time.sleep(0.05)
