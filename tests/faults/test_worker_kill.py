"""A Celery worker killed with SIGKILL in the middle of commission computation: after a
new worker takes over, every commission exists once and the rollups count each once,
exactly as an uninterrupted run would leave them."""

import os
import signal
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Sum

from payouts.models import Commission
from payouts.services import commission_amount
from tests.factories import LinkFactory, ProductFactory, ProgramFactory, open_product
from tracking.models import DailyLinkStats

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
ORDERS = 3000


def _seed(link):
    """ORDERS paid orders attributed to the link, written in SQL (outside what is measured)."""
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO shops_order (shop_id, number, token, checkout_key, status, under_review, email, name,
              address_line1, address_line2, city, postal_code, country, currency, subtotal, discount, shipping,
              tax, total, refunded_total, payment_reference, tracking_number, placed_at, paid_at)
            SELECT %s, 'W' || g, 'wt' || g, 'wk' || g, 'paid', false, 'b@example.net', 'B', '', '', '', '', '',
              'USD', 33.33, 0, 0, 0, 33.33, 0, 'x', '', now() - interval '1 hour', now() - interval '1 hour'
            FROM generate_series(1, %s) g""", [link.product.shop_id, ORDERS])
        cursor.execute("""
            INSERT INTO shops_orderline (order_id, product_id, title, kind, unit_price, quantity, discount,
              net_amount, tax, refunded_quantity, refunded_amount)
            SELECT id, %s, 'P', 'physical', 33.33, 1, 0, 33.33, 0, 0, 0 FROM shops_order WHERE number LIKE 'W%%'
            """, [link.product_id])
        cursor.execute("""
            INSERT INTO tracking_conversion (order_id, outcome, link_id, creator_id, click_at, link_created_at,
              created_at)
            SELECT id, 'attributed', %s, %s, placed_at, %s, now() FROM shops_order WHERE number LIKE 'W%%'
            """, [link.pk, link.creator_id, link.created_at])
        cursor.execute("SELECT id FROM shops_order WHERE number LIKE 'W%%' ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def _worker(env):
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", f"--queues={env['QUEUE']}",
         "--loglevel=WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def test_a_worker_killed_mid_computation_leaves_the_same_result_as_an_uninterrupted_run():
    program = ProgramFactory()
    product = ProductFactory(shop=program.shop, stock=100_000)
    open_product(product, Decimal("12.5"))
    link = LinkFactory(product=product)
    order_ids = _seed(link)
    db = settings.DATABASES["default"]
    queue = f"kill-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "QUEUE": queue,
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
           "CELERY_VISIBILITY_TIMEOUT": "3", "CELERY_DEFAULT_QUEUE": queue}
    env["REDIS_URL"] = settings.REDIS_URL

    from celery import current_app

    from payouts.tasks import compute_commissions

    current_app.conf.task_always_eager = False
    current_app.conf.broker_url = settings.REDIS_URL
    current_app.conf.broker_transport_options = {"visibility_timeout": 3}
    try:
        for start in range(0, len(order_ids), 100):
            compute_commissions.apply_async((order_ids[start:start + 100],), queue=queue)
        first = _worker(env)
        deadline = time.monotonic() + 60
        while Commission.objects.count() < 300:  # part of the work is done
            assert time.monotonic() < deadline, "the first worker made no commissions"
            time.sleep(0.05)
        os.killpg(first.pid, signal.SIGKILL)  # no goodbye, no ack for the task it was running
        first.wait(timeout=10)
        assert Commission.objects.count() < ORDERS
        second = _worker(env)
        try:
            deadline = time.monotonic() + 90
            while Commission.objects.count() < ORDERS:
                assert time.monotonic() < deadline, f"only {Commission.objects.count()} of {ORDERS} after restart"
                time.sleep(0.2)
            time.sleep(2)  # anything redelivered twice would show now
        finally:
            os.killpg(second.pid, signal.SIGKILL)
            second.wait(timeout=10)
    finally:
        current_app.conf.task_always_eager = True

    expected = commission_amount(base=Decimal("33.33"), rate=Decimal("12.5"), currency="USD")
    assert Commission.objects.count() == ORDERS
    assert set(Commission.objects.values_list("amount", flat=True)) == {expected}
    assert DailyLinkStats.objects.filter(link=link).aggregate(total=Sum("commission"))["total"] == expected * ORDERS
