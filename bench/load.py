"""BENCH load: a bounded mixed load on the production stack, while money moves.

gunicorn (2 workers per core + 1) and a Celery worker with beat on PostgreSQL + Redis, seeded with the
demo data. For a fixed time: wrk sends creator-link redirects and feed pages (7 to 3),
a thread checks out as guests, and in the same moments a payout run computes and sellers
refund orders. Afterwards the click stream drains and the ledger is reconciled.
Prints: BENCH load seconds=S requests=N errors_5xx=N answered=N stored=N reconciled=yes|no
(5xx must be 0, stored must equal the redirects answered.)
"""

import http.cookiejar
import os
import re
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from bench.common import (
    PY,
    ROOT,
    WEB_WORKERS,
    bench_env,
    ensure_wrk,
    flush_redis,
    fresh_database,
    line,
    manage,
    process,
)

SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "20"))
PORT = 8793
BASE = f"http://127.0.0.1:{PORT}"
DATABASE = "kinship_bench_load"

LOAD_SCRIPT = r"""
local threads = {}
local started = os.time()
function setup(thread) table.insert(threads, thread) end
function init(args)
  link, duration = args[1], tonumber(args[2])
  n, answered, errors = 0, 0, 0
end
function request()
  n = n + 1
  -- the last second asks only for the feed: no redirect is in flight when wrk stops
  if os.time() - started >= duration - 1 or n %% 10 >= 7 then return wrk.format("GET", "/") end
  return wrk.format("GET", link)
end
function response(status, headers, body)
  if status == 302 and string.sub(headers["Location"] or "", 1, 3) == "/p/" then answered = answered + 1 end
  if status >= 500 then errors = errors + 1 end
end
function done(summary, latency, requests)
  local a, e = 0, 0
  for _, t in ipairs(threads) do a = a + t:get("answered"); e = e + t:get("errors") end
  io.write(string.format("RESULT requests=%d answered=%d errors=%d\n", summary.requests, a, e))
end
""".replace("%%", "%")

MONEY = """
from django.utils import timezone
from payouts import services as pay
from payouts.months import previous_month
from shops import services as shops
from shops.models import Order
period = previous_month(previous_month(timezone.now().date()))
run, _ = pay.payout_run_start(period=period)
pay.payout_run_compute(run=run)
refunded = 0
for order in Order.objects.filter(status__in=["paid", "delivered"], conversion__outcome="attributed")[:15]:
    line = order.lines.first()
    if line.refundable_quantity:
        shops.order_refund(order=order, by=order.shop.memberships.first().user, quantities={line.pk: 1},
                           reason="bench refund")
        refunded += 1
print(refunded)
"""

SETUP = """
from tracking.models import Click, Link
from shops.models import Product
link = Link.objects.filter(creator__handle="mikamakes").first()
product = Product.objects.filter(status="live", kind="digital").first()
print(link.code, product.pk, product.shop.slug, Click.objects.count())
"""

COUNT = "from tracking.models import Click; print(Click.objects.count())"


def _checkouts(stop: threading.Event, product_id: str, shop_slug: str, counts: dict) -> None:
    """A guest buying a digital product again and again, as a browser would."""
    while not stop.is_set():
        jar = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        try:
            page = browser.open(f"{BASE}/p/{product_id}/").read().decode()
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

            def post(path, data, browser=browser):
                request = urllib.request.Request(  # noqa: S310 - 127.0.0.1 only
                    f"{BASE}{path}", data=urllib.parse.urlencode(data).encode(), headers={"Referer": BASE + path})
                return browser.open(request).read().decode()

            post(f"/cart/add/{product_id}/", {"csrfmiddlewaretoken": token, "quantity": 1})
            checkout = browser.open(f"{BASE}/checkout/{shop_slug}/").read().decode()
            key = re.search(r'name="checkout_key" value="([^"]+)"', checkout).group(1)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', checkout).group(1)
            done = post(f"/checkout/{shop_slug}/", {"csrfmiddlewaretoken": token, "checkout_key": key,
                                                    "email": "load@example.net", "name": "Load",
                                                    "card_number": "4242424242424242", "expiry": "12/39",
                                                    "cvc": "123"})
            counts["requests"] += 5
            counts["orders"] += "Thank you" in done
        except urllib.error.HTTPError as exc:
            counts["requests"] += 1
            counts["errors"] += exc.code >= 500


def prepare(env: dict) -> tuple[str, str, str, str]:
    """Migrate, collect static files and seed the demo data; returns the redirect code, the
    digital product and its shop that the load uses, and the clicks stored before."""
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "seed_demo")
    code, product_id, shop_slug, clicks_before = manage(env, "shell", "--no-imports", "-c", SETUP
                                                       ).strip().splitlines()[-1].split()
    return code, product_id, shop_slug, clicks_before


def run(env: dict, setup: tuple[str, str, str, str], *, before=None, during=()) -> dict:
    """Start the stack, call `before()` once it answers, then run the load for SECONDS with
    each of `during` (called with a stop event) in a thread of its own; returns the figures."""
    code, product_id, shop_slug, clicks_before = setup
    gunicorn = [os.path.join(os.path.dirname(PY), "gunicorn"), "config.wsgi:application", "-w", str(WEB_WORKERS),
                "-b", f"127.0.0.1:{PORT}", "--log-level", "warning"]
    celery = [os.path.join(os.path.dirname(PY), "celery"), "-A", "config", "worker", "-B", "--concurrency=2",
              "--queues=clicks,commissions,payouts,default", "--loglevel=WARNING",
              "--schedule", "/tmp/kinship-bench-load-beat"]  # noqa: S108
    script = ROOT / "bench" / ".wrk-load.lua"
    script.write_text(LOAD_SCRIPT)
    with process(gunicorn, env, ready_url=f"{BASE}/healthz"), process(celery, env):
        time.sleep(3)
        if before is not None:
            before()
        stop, counts = threading.Event(), {"requests": 0, "orders": 0, "errors": 0}
        threads = [threading.Thread(target=_checkouts, args=(stop, product_id, shop_slug, counts))]
        threads += [threading.Thread(target=observer, args=(stop,)) for observer in during]
        for thread in threads:
            thread.start()
        money = subprocess.Popen([PY, "manage.py", "shell", "--no-imports", "-c", MONEY], cwd=ROOT, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        started = time.monotonic()
        result = subprocess.run([ensure_wrk(), "-t2", "-c16", f"-d{SECONDS}s", "--timeout", "10s", "-s",
                                 str(script), BASE, "--", f"/r/{code}", str(SECONDS)],
                                capture_output=True, text=True, timeout=SECONDS + 60)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        money_out, money_err = money.communicate(timeout=120)
        elapsed = time.monotonic() - started
        match = re.search(r"RESULT requests=(\d+) answered=(\d+) errors=(\d+)", result.stdout)
        if not match or money.returncode != 0:
            raise RuntimeError(f"load failed:\n{result.stdout}\n{result.stderr}\n{money_err[-2000:]}")
        requests, answered, errors = (int(match.group(i)) for i in (1, 2, 3))
        stored, previous, deadline = -1, -2, time.monotonic() + 90
        while time.monotonic() < deadline and stored != previous:
            time.sleep(3)
            previous, stored = stored, int(manage(env, "shell", "--no-imports", "-c", COUNT).strip().splitlines()[-1])
        time.sleep(5)  # let commission and refund tasks finish before reconciling
    script.unlink(missing_ok=True)
    stored -= int(clicks_before)
    reconciled = subprocess.run([PY, "manage.py", "reconcile"], cwd=ROOT, env=env, capture_output=True).returncode == 0
    return {"seconds": round(elapsed), "requests": requests + counts["requests"],
            "errors_5xx": errors + counts["errors"], "answered": answered, "stored": stored,
            "reconciled": "yes" if reconciled else "no", "checkouts": counts["orders"],
            "refunds": money_out.strip().splitlines()[-1] if money_out.strip() else 0}


def main() -> None:
    fresh_database(DATABASE)
    flush_redis()
    env = bench_env(DATABASE, DJANGO_HTTPS="False", DJANGO_STATIC_ROOT="/tmp/kinship-bench-static")  # noqa: S108
    line("load", **run(env, prepare(env)))


if __name__ == "__main__":
    main()
