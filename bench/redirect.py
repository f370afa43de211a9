"""BENCH redirect: /r/<code> against a bare Django redirect view, on the production stack.

gunicorn with sync workers as docs/deploy.md sizes them (2 per core + 1) on PostgreSQL
and Redis, a Celery worker with beat (2 processes, as docs/deploy.md runs it) moving clicks
from the stream to PostgreSQL, and
wrk on 127.0.0.1 against each URL in alternating rounds (the rates are the rounds'
medians: this machine's pace drifts with its neighbours). Then it waits for the batch
task and counts the stored clicks.
Prints: BENCH redirect tracked_rps=N bare_rps=N ratio=R tracked_p99_ms=N bare_p99_ms=N
answered=N stored=N (the flusher storing clicks on the same cores meanwhile; the tracked
rate is what the machine sustains: redirects over the time until they are stored, which the
click stream tells: an entry leaves it once its batch has committed), then
BENCH redirect_web_only ... for the redirect with its clicks left in the stream while
measured (as when flushers run on other machines; stored once the worker starts), then
the same for a content piece's link (/r/<code>/<tag>), in the same alternating rounds (the
redirect line's answered and stored count both kinds):
BENCH redirect_content tracked_rps=N ratio=R tracked_p99_ms=N answered=N with_content=N
"""

import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import redis

from bench.common import (
    PY,
    REDIS,
    ROOT,
    WEB_WORKERS,
    bench_env,
    flush_redis,
    fresh_database,
    line,
    manage,
    process,
    wrk,
)

ROUNDS, ROUND_SECONDS = 5, 4  # alternating rounds per comparison (rates are their medians)
SUSTAINED_SECONDS = 8  # a tracked round with the flusher on the same cores
TAIL = 1
PORT = 8791
DATABASE = "kinship_bench_redirect"

SETUP = """
from decimal import Decimal
from django.contrib.auth import get_user_model
from django.utils import timezone
from affiliates.models import AffiliateProgram, Creator, OpenProduct, RateChange
from shops.models import Category, Product, Shop
from tracking.models import Link
User = get_user_model()
now = timezone.now()
shop = Shop.objects.create(name="Bench", slug="bench", status="active", currency="USD", country="US",
                           legal_name="Bench", contact_email="b@example.com")
product = Product.objects.create(shop=shop, title="Bench product", category=Category.objects.first(),
                                 price=Decimal("10.00"), stock=10, status="live", published_at=now)
program = AffiliateProgram.objects.create(shop=shop, default_rate=Decimal("10"), joined_at=now)
RateChange.objects.create(program=program, new_rate=Decimal("10"), changed_at=now)
OpenProduct.objects.create(program=program, product=product, opened_at=now)
creator = Creator.objects.create(user=User.objects.create(username="c@example.com", email="c@example.com"),
                                 handle="bench", status="approved")
link = Link.objects.create(creator=creator, product=product, created_at=now)
from affiliates.models import Content
content = Content.objects.create(creator=creator, url="https://example.com/v/1", title="Bench post", created_at=now)
content.products.add(product)
print(link.code, content.tag)
"""

COUNT = "from tracking.models import Click; print(Click.objects.count())"
WITH_CONTENT = "from tracking.models import Click; print(Click.objects.filter(content__isnull=False).count())"


def stored_clicks(env, query=COUNT) -> int:
    return int(manage(env, "shell", "--no-imports", "-c", query).strip().splitlines()[-1])


def settle(env, *, at_least: int = 0, seconds: int = 90) -> int:
    """Wait (bounded) until the batch task has stored what was queued: the count stops moving."""
    previous, deadline = -1, time.monotonic() + seconds
    while time.monotonic() < deadline:
        current = stored_clicks(env)
        if current == previous and current >= at_least:
            return current
        previous = current
        time.sleep(2.5)
    return stored_clicks(env)


def rounds(base: str, paths: list[str]) -> list[list[dict]]:
    """ROUNDS rounds of wrk against each path in turn: the machine's pace drifts (other
    tenants), and alternating short rounds gives both paths the same drift."""
    results: list[list[dict]] = [[] for _ in paths]
    for _ in range(ROUNDS):
        for i, path in enumerate(paths):
            tail = 0 if path == "/bench/bare" else TAIL
            results[i].append(wrk(base, path, seconds=ROUND_SECONDS, tail=tail))
    return results


def rate(runs: list[dict]) -> float:
    """Median requests/s over the rounds; a tracked round counts its redirects, not its tail."""
    return statistics.median(run["tracked"] / (ROUND_SECONDS - TAIL) if run["tracked"] else run["rps"]
                             for run in runs)


def stream_emptied(stream: str, *, after: float, seconds: float = 120) -> float:
    """When (monotonic time) the click stream was first seen empty, with nothing added to
    it for 0.1 s, from `after` on (bounded wait). Entries leave it only once the batch that
    stored them has committed; the quiet tenth of a second makes sure the redirects ended
    (a flush can empty the stream between two of them)."""
    client = redis.Redis.from_url(REDIS)
    time.sleep(max(0.0, after - time.monotonic()))
    deadline = after + seconds
    while time.monotonic() < deadline:
        if not client.xlen(stream):
            last_added_ms = int(client.xinfo_stream(stream)["last-generated-id"].split(b"-")[0])
            seconds_now, microseconds = client.time()
            if seconds_now * 1000 + microseconds // 1000 - last_added_ms >= 100:
                break
        time.sleep(0.01)
    return time.monotonic()


def sustained_rounds(base: str, paths: list[str], stream: str) -> tuple[list, list[list[dict]], list[list[float]]]:
    """With the flusher on the same cores: alternating rounds of the bare view (nothing
    left to store) and of each tracked path, whose rate is its redirects over the time
    from its round's start until the last of them is stored (or its redirects end, if
    storing kept up): the rate the machine sustains, storing included."""
    bare: list[dict] = []
    runs: list[list[dict]] = [[] for _ in paths]
    rates: list[list[float]] = [[] for _ in paths]
    for _ in range(ROUNDS):
        bare.append(wrk(base, "/bench/bare", seconds=ROUND_SECONDS, tail=0))
        for i, path in enumerate(paths):
            start = time.monotonic()
            with ThreadPoolExecutor(max_workers=1) as pool:
                running = pool.submit(wrk, base, path, seconds=SUSTAINED_SECONDS, tail=TAIL)
                # wrk's redirects end TAIL seconds before it stops (it asks for the bare view then).
                stored_at = stream_emptied(stream, after=start + SUSTAINED_SECONDS - TAIL + 0.05)
                run = running.result()
            rates[i].append(run["tracked"] / (stored_at - start))
            runs[i].append(run)
    return bare, runs, rates


def p99(runs: list[dict]) -> float:
    return round(statistics.median(run["p99_ms"] for run in runs), 3)


def main() -> None:
    fresh_database(DATABASE)
    flush_redis()
    env = bench_env(DATABASE)
    manage(env, "migrate", "--noinput", "-v0")
    code, tag = manage(env, "shell", "--no-imports", "-c", SETUP).strip().splitlines()[-1].split()
    base = f"http://127.0.0.1:{PORT}"
    gunicorn = [os.path.join(os.path.dirname(PY), "gunicorn"), "config.wsgi:application", "-w", str(WEB_WORKERS),
                "-b", f"127.0.0.1:{PORT}", "--worker-class", "sync", "--log-level", "warning"]
    celery = [os.path.join(os.path.dirname(PY), "celery"), "-A", "config", "worker", "-B", "--concurrency=2",
              "--queues=clicks,default", "--loglevel=WARNING",
              "--schedule", str(ROOT / "bench" / ".celerybeat-schedule")]
    tracked_path = f"/r/{code}"
    with process(gunicorn, env, ready_url=f"{base}/healthz"):
        wrk(base, "/bench/bare", seconds=2, tail=0)  # warm up both paths and the code cache
        warm = wrk(base, tracked_path, seconds=3, tail=TAIL)
        # The redirect alone, its clicks waiting in the stream: as with the flushers on
        # other machines. They are stored (and counted) once the worker starts.
        bare_alone, alone = rounds(base, ["/bench/bare", tracked_path])
        alone_answered = sum(run["tracked"] for run in alone)
        with process(celery, env):
            before = settle(env, at_least=warm["tracked"] + alone_answered)
            bare, (tracked, content), (sustained, content_rates) = sustained_rounds(
                base, [tracked_path, f"/r/{code}/{tag}"], env["TRACKING_STREAM"])
            answered, content_answered = (sum(run["tracked"] for run in runs) for runs in (tracked, content))
            stored = settle(env, at_least=before + answered + content_answered) - before
            with_content = stored_clicks(env, WITH_CONTENT)
    errors = sum(run["errors"] for runs in (bare_alone, alone, bare, tracked, content) for run in runs)
    tracked_rps = statistics.median(sustained)
    line("redirect", tracked_rps=round(tracked_rps), bare_rps=round(rate(bare)),
         ratio=round(tracked_rps / rate(bare), 2), tracked_p99_ms=p99(tracked), bare_p99_ms=p99(bare),
         answered=answered + content_answered, stored=stored, errors_5xx=errors)
    line("redirect_web_only", tracked_rps=round(rate(alone)), bare_rps=round(rate(bare_alone)),
         ratio=round(rate(alone) / rate(bare_alone), 2), tracked_p99_ms=p99(alone), bare_p99_ms=p99(bare_alone),
         answered=alone_answered, stored=before - warm["tracked"], errors_5xx=errors)
    content_rps = statistics.median(content_rates)
    line("redirect_content", tracked_rps=round(content_rps), ratio=round(content_rps / rate(bare), 2),
         tracked_p99_ms=p99(content), answered=content_answered, with_content=with_content)


if __name__ == "__main__":
    main()
