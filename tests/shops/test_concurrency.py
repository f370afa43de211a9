"""Two buyers, one unit left: on PostgreSQL the row locks let exactly one of them have it."""

import threading

import pytest
from django.db import close_old_connections

from shops import services
from shops.models import Order
from tests.factories import BUYER, ProductFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(product, keys):
    barrier = threading.Barrier(len(keys))
    results = []

    def buy(key):
        close_old_connections()
        try:
            barrier.wait()
            order = services.order_place(shop=product.shop, items={product.pk: 1},
                                         buyer=services.BuyerDetails(**BUYER), checkout_key=key)
            results.append(order.pk)
        except services.CheckoutError as exc:
            results.append(exc.messages[0])
        finally:
            close_old_connections()

    threads = [threading.Thread(target=buy, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_checkouts_of_the_last_unit_make_one_order_and_one_sold_out():
    product = ProductFactory(stock=1)
    results = _race(product, ["buyer-a", "buyer-b"])
    orders = [value for value in results if isinstance(value, int)]
    refusals = [value for value in results if isinstance(value, str)]
    assert len(orders) == 1
    assert refusals == [f"{product.title} is sold out."]
    product.refresh_from_db()
    assert product.stock == 0


def test_a_double_submitted_checkout_at_the_same_moment_makes_one_order():
    product = ProductFactory(stock=5)
    results = _race(product, ["same-key", "same-key"])
    assert Order.objects.count() == 1
    assert results == [Order.objects.get().pk] * 2
    product.refresh_from_db()
    assert product.stock == 4
