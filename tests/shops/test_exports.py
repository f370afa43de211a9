"""The seller's CSVs: amounts as numbers with their currency, times in UTC."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import ProductFactory, ShopMembershipFactory, paid_order

D = Decimal


def _csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.django_db
def test_products_and_orders_export_amounts_as_numbers_with_their_currency(client):
    seller = ShopMembershipFactory(shop__currency="JPY")
    product = ProductFactory(shop=seller.shop, price=D("1086"))
    paid_order((product, 2))
    client.force_login(seller.user)
    products = _csv(client.get(reverse("seller:product_list"), {"export": "csv"}))
    header = products[0]
    assert products[1][header.index("Price")] == "1086" and products[1][header.index("Currency")] == "JPY"
    updated = products[1][header.index("Updated")]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", updated)  # UTC, no fraction of a second
    orders = _csv(client.get(reverse("seller:order_list"), {"export": "csv"}))
    header = orders[0]
    assert orders[1][header.index("Total")] == "2172" and orders[1][header.index("Refunded")] == "0"
    assert orders[1][header.index("Currency")] == "JPY"
