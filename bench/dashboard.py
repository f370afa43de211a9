"""BENCH dashboard: the seller home, the creator home and the performance page's tables by
product and by creator, at full data and at 1 % of it, on PostgreSQL with production settings.

Full data: one shop, 500 creators with a link each, a year of daily rollups worth about
5,000,000 clicks, and 200,000 paid orders (half attributed, with commissions in every
state). Each page is rendered with the test client 500 times on each size of data (after 10
warm-up renders) by two processes in lockstep: a render on full data, one on small, and so
on, so the machine's ups and downs fall on both alike.
Prints one line per page:
BENCH dashboard_<page> p50_ms=N p95_ms=N small_p95_ms=N ratio=R
"""

import os
import statistics
import subprocess

from bench.common import PY, ROOT, bench_env, fresh_database, line, manage
from bench.payouts import psql

PAGES = ("seller:home", "creator:home", "product_table", "creator_table")
WARM_UP, RENDERS = 10, 500  # renders per page and size of data

SEED = """
INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
SELECT '!', false, 'u' || g, '', '', 'u' || g || '@example.com', false, true, now()
FROM generate_series(0, %(links)s) g;
INSERT INTO shops_shop (name, slug, status, description, logo, legal_name, country, currency, contact_email, tax_id,
  return_window_days, shipping_fee, tax_rate, status_reason, created_at, updated_at)
VALUES ('Bench', 'bench', 'active', '', '', 'Bench', 'US', 'USD', 'b@example.com', '', 14, 0, 0, '', now(), now());
INSERT INTO shops_shopmembership (shop_id, user_id, role, created_at)
SELECT s.id, u.id, 'owner', now() FROM shops_shop s, auth_user u WHERE u.username = 'u0';
INSERT INTO shops_product (shop_id, title, description, category_id, kind, price, stock, status, status_reason,
  units_sold, created_at, updated_at, published_at)
SELECT s.id, 'Product ' || g, '', (SELECT min(id) FROM shops_category), 'physical', 20, 1000000, 'live', '', 0,
  now(), now(), now() FROM shops_shop s, generate_series(1, 20) g;
INSERT INTO affiliates_affiliateprogram (shop_id, status, default_rate, attribution_window_days, hold_days,
  requires_approval, min_followers, terms, all_products_open, joined_at)
SELECT id, 'active', 10, 14, 30, false, 0, '', true, now() - interval '400 days' FROM shops_shop;
INSERT INTO affiliates_creator (user_id, handle, display_name, bio, avatar, social_url, followers, average_views,
  engagement_rate, audience_top_country, audience_female_pct, audience_male_pct, audience_top_age, payout_method,
  payout_account, status, status_reason, created_at, updated_at)
SELECT id, username, username, '', '', '', 0, 0, 0, '', 0, 0, '', '', '', 'approved', '', now(), now()
FROM auth_user WHERE username <> 'u0';
INSERT INTO tracking_link (creator_id, product_id, code, created_at)
SELECT c.id, (SELECT min(id) FROM shops_product) + (c.id %% 20), 'L' || c.id, now() - interval '400 days'
FROM affiliates_creator c;
INSERT INTO tracking_dailylinkstats (day, link_id, shop_id, product_id, creator_id, clicks, unique_clicks,
  flagged_clicks, orders, items, gmv, commission)
SELECT current_date - d, l.id, p.shop_id, l.product_id, l.creator_id, 27, 24, 1, 1, 1, 20, 2
FROM tracking_link l JOIN shops_product p ON p.id = l.product_id, generate_series(0, 364) d;
INSERT INTO tracking_shopcreator (shop_id, creator_id) SELECT DISTINCT shop_id, creator_id FROM tracking_dailylinkstats;
INSERT INTO tracking_shopcreatortodate (shop_id, creator_id, day, clicks, orders, gmv, commission)
SELECT shop_id, creator_id, day, SUM(SUM(clicks)) OVER pair, SUM(SUM(orders)) OVER pair, SUM(SUM(gmv)) OVER pair,
  SUM(SUM(commission)) OVER pair
FROM tracking_dailylinkstats GROUP BY shop_id, creator_id, day
WINDOW pair AS (PARTITION BY shop_id, creator_id ORDER BY day);
UPDATE tracking_shopcreator p SET day = l.day, clicks = l.clicks, orders = l.orders, gmv = l.gmv,
  commission = l.commission
FROM (SELECT DISTINCT ON (shop_id, creator_id) shop_id, creator_id, day, clicks, orders, gmv, commission
      FROM tracking_shopcreatortodate ORDER BY shop_id, creator_id, day DESC) l
WHERE p.shop_id = l.shop_id AND p.creator_id = l.creator_id;
INSERT INTO tracking_shopaffiliatedaily (shop_id, day, clicks, unique_clicks, flagged_clicks, orders, items, gmv,
  commission)
SELECT shop_id, day, sum(clicks), sum(unique_clicks), sum(flagged_clicks), sum(orders), sum(items), sum(gmv),
  sum(commission) FROM tracking_dailylinkstats GROUP BY 1, 2;
INSERT INTO tracking_productaffiliatedaily (shop_id, product_id, day, clicks, unique_clicks, flagged_clicks, orders,
  items, gmv, commission)
SELECT shop_id, product_id, day, sum(clicks), sum(unique_clicks), sum(flagged_clicks), sum(orders), sum(items),
  sum(gmv), sum(commission) FROM tracking_dailylinkstats GROUP BY 1, 2, 3;
INSERT INTO shops_order (shop_id, number, token, checkout_key, status, under_review, email, name, address_line1,
  address_line2, city, postal_code, country, currency, subtotal, discount, shipping, tax, total, refunded_total,
  payment_reference, tracking_number, placed_at, paid_at)
SELECT s.id, 'B' || g, 'tok' || g, 'key' || g,
  CASE WHEN g %% 365 < 3 THEN 'paid' WHEN g %% 365 < 14 THEN 'shipped' ELSE 'delivered' END, false,
  'b' || g || '@example.net', 'Buyer', '', '', '', '',
  '', 'USD', 20, 0, 0, 0, 20, 0, 'bench', '', now() - (g %% 365) * interval '1 day',
  now() - (g %% 365) * interval '1 day'
FROM shops_shop s, generate_series(1, %(orders)s) g;
INSERT INTO shops_orderline (order_id, product_id, title, kind, unit_price, quantity, discount, net_amount, tax,
  refunded_quantity, refunded_amount)
SELECT o.id, (SELECT min(id) FROM shops_product), 'Product', 'physical', 20, 1, 0, 20, 0, 0, 0 FROM shops_order o;
INSERT INTO shops_shopdailystats (shop_id, day, orders, gmv)
SELECT shop_id, placed_at::date, count(*), sum(total) FROM shops_order GROUP BY 1, 2;
INSERT INTO tracking_conversion (order_id, outcome, link_id, creator_id, click_at, link_created_at, created_at)
SELECT o.id, 'attributed', l.id, l.creator_id, o.placed_at, l.created_at, o.placed_at
FROM shops_order o JOIN tracking_link l ON l.id = (SELECT min(id) FROM tracking_link) + (o.id %% %(links)s)
WHERE o.id %% 2 = 0;
INSERT INTO payouts_commission (order_line_id, order_id, shop_id, creator_id, link_id, currency, base, refunded_base,
  rate, rate_source, rate_reason, amount, clawed_back, status, hold_until, approved_at, created_at, batch)
SELECT ol.id, o.id, o.shop_id, c.creator_id, c.link_id, 'USD', 20, 0, 10, 'default', 'default', 2, 0,
  CASE WHEN o.placed_at > now() - interval '30 days' THEN 'pending'
       WHEN o.placed_at > now() - interval '60 days' THEN 'approved' ELSE 'paid' END,
  o.paid_at + interval '30 days', NULL, o.placed_at, gen_random_uuid()
FROM tracking_conversion c JOIN shops_order o ON o.id = c.order_id JOIN shops_orderline ol ON ol.order_id = o.id;
-- As autovacuum would after a bulk load: the visibility map lets indexed aggregates skip the heap.
VACUUM ANALYZE;
"""

RENDERER = """
import sys, time
from django.test import Client
from django.contrib.auth import get_user_model
from affiliates.models import Creator
seller = get_user_model().objects.get(username="u0")
creator = Creator.objects.order_by("pk").first()
pages = {}
for name, user, url in (("seller:home", seller, "/seller/?days=30"),
                        ("creator:home", creator.user, "/creator/?days=30"),
                        ("product_table", seller, "/seller/affiliates/performance/?days=90"),
                        ("creator_table", seller, "/seller/affiliates/performance/?days=90&by=creator")):
    client = Client()
    client.force_login(user)
    pages[name] = (client, url)
print("ready", flush=True)
for name in sys.stdin:
    client, url = pages[name.strip()]
    start = time.perf_counter()
    status = client.get(url).status_code
    print((time.perf_counter() - start) * 1000 if status == 200 else f"status {status}", flush=True)
"""


def seeded(scale: float) -> dict:
    """A database seeded at `scale` of the full data; returns its environment."""
    database = f"kinship_bench_dashboard_{'full' if scale == 1 else 'small'}"
    fresh_database(database)
    env = bench_env(database, DJANGO_HTTPS="False", DJANGO_ALLOWED_HOSTS="testserver,127.0.0.1",
                    DJANGO_STATIC_ROOT="/tmp/kinship-bench-static")  # noqa: S108 - a scratch folder
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    psql(env, SEED % {"links": max(1, int(500 * scale)), "orders": max(1, int(200_000 * scale))})
    return env


class Renderer:
    """A Django shell on one database that renders a page each time it is asked (the
    production settings, the test client: the whole middleware stack, no network)."""

    def __init__(self, env: dict):
        self.proc = subprocess.Popen([PY, "manage.py", "shell", "--no-imports", "-c", RENDERER], cwd=ROOT, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        if self.proc.stdout.readline().strip() != "ready":
            raise RuntimeError("the renderer did not start")

    def render(self, page: str) -> float:
        self.proc.stdin.write(page + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        try:
            return float(answer)
        except ValueError:
            raise RuntimeError(f"{page}: {answer or 'the renderer stopped'}") from None

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[max(0, int(share * len(ordered)) - 1)]


def main() -> None:
    full_env, small_env = seeded(1.0), seeded(float(os.environ.get("BENCH_DASHBOARD_SMALL", "0.01")))
    full, small = Renderer(full_env), Renderer(small_env)
    try:
        for page in PAGES:
            # In lockstep, each in turn first: whatever the machine's neighbours do while
            # a page is measured, both sizes of data see it alike.
            times: dict[Renderer, list[float]] = {full: [], small: []}
            for n in range(WARM_UP + RENDERS):
                for renderer in ((full, small) if n % 2 else (small, full)):
                    took = renderer.render(page)
                    if n >= WARM_UP:
                        times[renderer].append(took)
            p95, small_p95 = percentile(times[full], 0.95), percentile(times[small], 0.95)
            line(f"dashboard_{page}", p50_ms=round(statistics.median(times[full]), 1), p95_ms=round(p95, 1),
                 small_p95_ms=round(small_p95, 1), ratio=round(p95 / small_p95, 2))
    finally:
        full.close()
        small.close()


if __name__ == "__main__":
    main()
