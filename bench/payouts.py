"""BENCH payout_run and BENCH commissions, on PostgreSQL with a real Celery worker.

payout_run: 1,000,000 approved commissions (with their ledger credits) for 10,000
creators, seeded in SQL outside the timing; one payout run is timed, and a naive
per-creator loop over a 1 % sample gives the baseline in the same run.
Prints: BENCH payout_run commissions=N creators=N payouts=N seconds=S naive_ratio=R

commissions: 100,000 paid, attributed orders seeded in SQL; a real worker computes their
commissions from batched tasks (1,000 orders each, as the sweeper and bulk paths send
them); timed until every commission exists.
Prints: BENCH commissions orders=N seconds=S orders_per_s=N

commissions_live: 20,000 such orders, each queued on its own the moment it is paid (as
payouts/receivers.py does on commit: micro-batched through the commissions-due stream,
payouts/due.py), the way buyers pay one at a time; timed the same way.
Prints: BENCH commissions_live orders=N seconds=S orders_per_s=N
"""

import os
import time

from bench.common import PY, bench_env, flush_redis, fresh_database, line, manage, process

CREATORS = int(os.environ.get("BENCH_PAYOUT_CREATORS", "10000"))
COMMISSIONS = int(os.environ.get("BENCH_PAYOUT_COMMISSIONS", "1000000"))
ORDERS = int(os.environ.get("BENCH_COMMISSION_ORDERS", "100000"))
LIVE_ORDERS = int(os.environ.get("BENCH_COMMISSION_LIVE_ORDERS", "20000"))
LINES_PER_ORDER = 10

# One shop, one product, CREATORS creators with a link each; ORDERS orders of LINES lines.
SEED_SQL = """
INSERT INTO shops_shop (name, slug, status, description, logo, legal_name, country, currency, contact_email, tax_id,
  return_window_days, shipping_fee, tax_rate, status_reason, created_at, updated_at)
VALUES ('Bench', 'bench', 'active', '', '', 'Bench', 'US', 'USD', 'b@example.com', '', 14, 0, 0, '', now(), now());
INSERT INTO shops_product (shop_id, title, description, category_id, kind, price, stock, status, status_reason,
  units_sold, created_at, updated_at, published_at)
SELECT s.id, 'Bench product', '', (SELECT min(id) FROM shops_category), 'physical', 100, 1000000000, 'live', '', 0,
  now(), now(), now() FROM shops_shop s;
INSERT INTO affiliates_affiliateprogram (shop_id, status, default_rate, attribution_window_days, hold_days,
  requires_approval, min_followers, terms, all_products_open, joined_at)
SELECT id, 'active', 10, 14, 30, false, 0, '', true, now() - interval '400 days' FROM shops_shop;
INSERT INTO affiliates_ratechange (program_id, new_rate, changed_at)
SELECT id, 10, now() - interval '400 days' FROM affiliates_affiliateprogram;
INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
SELECT '!', false, 'c' || g, '', '', 'c' || g || '@example.com', false, true, now()
FROM generate_series(1, %(creators)s) g;
INSERT INTO affiliates_creator (user_id, handle, display_name, bio, avatar, social_url, followers, average_views,
  engagement_rate, audience_top_country, audience_female_pct, audience_male_pct, audience_top_age, payout_method,
  payout_account, status, status_reason, created_at, updated_at)
SELECT id, username, username, '', '', '', 0, 0, 0, '', 0, 0, '', 'paypal', email, 'approved', '', now(), now()
FROM auth_user WHERE username LIKE 'c%%';
INSERT INTO tracking_link (creator_id, product_id, code, created_at)
SELECT c.id, p.id, 'L' || c.id, now() - interval '300 days' FROM affiliates_creator c, shops_product p;
INSERT INTO shops_order (shop_id, number, token, checkout_key, status, under_review, email, name, address_line1,
  address_line2, city, postal_code, country, currency, subtotal, discount, shipping, tax, total, refunded_total,
  payment_reference, tracking_number, placed_at, paid_at)
SELECT s.id, 'B' || g, 'tok' || g, 'key' || g, 'paid', false, 'buyer' || g || '@example.net', 'Buyer', '', '', '', '',
  '',
  'USD', 1000, 0, 0, 0, 1000, 0, 'bench', '', now() - interval '60 days', now() - interval '60 days'
FROM shops_shop s, generate_series(1, %(orders)s) g;
INSERT INTO shops_orderline (order_id, product_id, title, kind, unit_price, quantity, discount, net_amount, tax,
  refunded_quantity, refunded_amount)
SELECT o.id, p.id, 'Bench product', 'physical', 100, 1, 0, 100 + (g %% 7), 0, 0, 0
FROM shops_order o, shops_product p, generate_series(1, %(lines)s) g;
"""

CONVERSIONS_SQL = """
INSERT INTO tracking_conversion (order_id, outcome, link_id, creator_id, click_at, link_created_at, created_at)
SELECT o.id, 'attributed', l.id, l.creator_id, o.placed_at - interval '1 hour', l.created_at, now()
FROM shops_order o
JOIN tracking_link l ON l.creator_id = (SELECT min(id) FROM affiliates_creator) + (o.id %% %(creators)s);
ANALYZE;
"""

APPROVED_SQL = """
INSERT INTO payouts_commission (order_line_id, order_id, shop_id, creator_id, link_id, currency, base, refunded_base,
  rate, rate_source, rate_reason, amount, clawed_back, status, hold_until, approved_at, created_at, batch)
SELECT ol.id, ol.order_id, o.shop_id, l.creator_id, l.id, 'USD', ol.net_amount, 0, 10, 'default', 'default',
  round(ol.net_amount * 0.10, 2), 0, 'approved', o.paid_at + interval '30 days',
  date_trunc('month', now()) - interval '5 days',
  now() - interval '59 days', gen_random_uuid()
FROM shops_orderline ol JOIN shops_order o ON o.id = ol.order_id
JOIN tracking_link l ON l.creator_id = (SELECT min(id) FROM affiliates_creator) + (ol.id %% %(creators)s);
INSERT INTO payouts_ledgerentry (creator_id, currency, kind, amount, commission_id, note, created_at)
SELECT creator_id, currency, 'commission', amount, id, 'Hold period over', approved_at FROM payouts_commission;
ANALYZE;
"""

RUN = """
import time
from django.utils import timezone
from payouts import services
from payouts.months import previous_month
period = previous_month(timezone.now().date())
run, _ = services.payout_run_start(period=period)
start = time.perf_counter()
run = services.payout_run_compute(run=run, chunk=2000)
print(f"{time.perf_counter() - start:.3f} {run.payouts.count()}")
"""

NAIVE = """
import time
from decimal import Decimal
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from affiliates.models import Creator
from payouts.models import LedgerEntry, Payout
sample = list(Creator.objects.order_by("pk").values_list("pk", flat=True)[:{sample}])
start = time.perf_counter()
with transaction.atomic():
    for creator_id in sample:  # the naive way: a query and two inserts per creator
        row = LedgerEntry.objects.filter(creator_id=creator_id).aggregate(total=Sum("amount"), last=Max("id"))
        if row["total"] and row["total"] >= Decimal("10"):
            payout = Payout.objects.create(kind="early", creator_id=creator_id, period=timezone.now().date(),
                                           currency="USD", amount=row["total"], covers_through=row["last"],
                                           created_at=timezone.now())
            LedgerEntry.objects.create(creator_id=creator_id, currency="USD", kind="payout", amount=-row["total"],
                                       payout=payout, created_at=timezone.now())
    transaction.set_rollback(True)
print(f"{time.perf_counter() - start:.3f}")
"""

ENQUEUE = """
import time
from shops.models import Order
from payouts.tasks import compute_commissions
ids = list(Order.objects.order_by("pk").values_list("pk", flat=True))
start = time.time()
for i in range(0, len(ids), 1000):
    compute_commissions.delay(ids[i:i + 1000])
print(f"{start:.3f}")
"""

# The live path: each paid order queued on its own, as payouts/receivers.py does on commit.
ENQUEUE_LIVE = """
import time
from shops.models import Order
from payouts.tasks import commissions_queue
ids = list(Order.objects.order_by("pk").values_list("pk", flat=True))
start = time.time()
for pk in ids:
    commissions_queue([pk])
print(f"{start:.3f}")
"""


def psql(env: dict, sql: str) -> None:
    import subprocess

    result = subprocess.run(["psql", env["DATABASE_URL"], "-q", "-v", "ON_ERROR_STOP=1"], input=sql, text=True,
                            capture_output=True)
    if result.returncode != 0:
        raise RuntimeError(f"seeding failed: {result.stderr[-2000:]}")


def count_commissions(env: dict) -> int:
    import subprocess

    out = subprocess.run(["psql", env["DATABASE_URL"], "-tAc", "SELECT count(*) FROM payouts_commission"],
                         capture_output=True, text=True, check=True).stdout
    return int(out.strip())


def shell(env: dict, code: str) -> str:
    return manage(env, "shell", "--no-imports", "-c", code).strip().splitlines()[-1]


def payout_run() -> None:
    database = "kinship_bench_payouts"
    fresh_database(database)
    env = bench_env(database)
    manage(env, "migrate", "--noinput", "-v0")
    orders = COMMISSIONS // LINES_PER_ORDER
    psql(env, SEED_SQL % {"creators": CREATORS, "orders": orders, "lines": LINES_PER_ORDER})
    psql(env, APPROVED_SQL % {"creators": CREATORS})
    seconds, payouts = shell(env, RUN).split()
    sample = max(1, CREATORS // 100)
    naive = float(shell(env, NAIVE.replace("{sample}", str(sample))))
    naive_full = naive * CREATORS / sample
    line("payout_run", commissions=COMMISSIONS, creators=CREATORS, payouts=payouts, seconds=seconds,
         naive_seconds_extrapolated=round(naive_full, 1), naive_ratio=round(naive_full / float(seconds), 1))


def _commissions(name: str, orders: int, enqueue: str) -> None:
    database = f"kinship_bench_{name}"
    fresh_database(database)
    flush_redis()
    env = bench_env(database)
    manage(env, "migrate", "--noinput", "-v0")
    psql(env, SEED_SQL % {"creators": 1000, "orders": orders, "lines": 1})
    psql(env, CONVERSIONS_SQL % {"creators": 1000})
    # Two worker processes on two cores, as docs/deploy.md sizes the commissions queue.
    celery = [os.path.join(os.path.dirname(PY), "celery"), "-A", "config", "worker", "--pool=prefork",
              "--concurrency=2", "--queues=commissions", "--loglevel=WARNING", "--without-heartbeat",
              "--without-gossip", "--without-mingle"]
    with process(celery, env):
        time.sleep(3)  # the worker connects
        started = float(shell(env, enqueue))
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            made = count_commissions(env)
            if made >= orders:
                break
            time.sleep(0.1)
        finished = time.time()
    seconds = finished - started
    line(name, orders=orders, made=made, seconds=round(seconds, 2), orders_per_s=round(made / seconds))


def commissions() -> None:
    _commissions("commissions", ORDERS, ENQUEUE)


def commissions_live() -> None:
    _commissions("commissions_live", LIVE_ORDERS, ENQUEUE_LIVE)


def main() -> None:
    which = os.environ.get("BENCH_PAYOUTS_ONLY", "")
    if which in ("", "payout_run"):
        payout_run()
    if which in ("", "commissions"):
        commissions()
    if which in ("", "commissions_live"):
        commissions_live()


if __name__ == "__main__":
    main()
