"""A Celery worker killed with SIGKILL in the middle of commission computation: after a
new worker takes over, every commission exists once and the rollups count each once,
exactly as an uninterrupted run would leave them."""

import time
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from payouts.models import Commission
from payouts.rules import commission_amount
from payouts.tasks import compute_commissions
from tests.factories import LinkFactory, ProductFactory, ProgramFactory, open_product
from tracking.models import DailyLinkStats

from .workers import kill, private_queue, sending_to_redis, start_worker, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
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


def test_a_worker_killed_mid_computation_leaves_the_same_result_as_an_uninterrupted_run():
    program = ProgramFactory()
    product = ProductFactory(shop=program.shop, stock=100_000)
    open_product(product, Decimal("12.5"))
    link = LinkFactory(product=product)
    order_ids = _seed(link)
    with private_queue("kill") as queue, sending_to_redis():
        for start in range(0, len(order_ids), 100):
            compute_commissions.apply_async((order_ids[start:start + 100],), queue=queue)
        first = start_worker(queue)
        wait_for(lambda: Commission.objects.count() >= 300, seconds=60, queue=queue,  # part of the work
                 message=lambda: "the first worker made no commissions")
        kill(first)
        assert Commission.objects.count() < ORDERS
        second = start_worker(queue)
        try:
            wait_for(lambda: Commission.objects.count() >= ORDERS, seconds=90, queue=queue,
                     message=lambda: f"only {Commission.objects.count()} of {ORDERS} after restart")
            time.sleep(2)  # anything redelivered twice would show now
        finally:
            kill(second)

    expected = commission_amount(base=Decimal("33.33"), rate=Decimal("12.5"), currency="USD")
    assert Commission.objects.count() == ORDERS
    assert set(Commission.objects.values_list("amount", flat=True)) == {expected}
    assert DailyLinkStats.objects.filter(link=link).aggregate(total=Sum("commission"))["total"] == expected * ORDERS
