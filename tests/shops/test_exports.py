"""CSV cells: numbers a spreadsheet sums, dates it reads, text it never runs."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from django.urls import reverse

from shops.exports import csv_cell
from shops.money import money_cell
from tests.factories import ProductFactory, ShopMembershipFactory, paid_order

D = Decimal


@pytest.mark.parametrize(("value", "written"), [
    (D("-1086.00"), "-1086.00"),  # a negative amount stays a number
    (money_cell(D("1086.00"), "JPY"), "1086"),  # zero-decimal currencies have no decimals
    (money_cell(D("773"), "USD"), "773.00"),
    (money_cell(D("-0.5"), "USD"), "-0.50"),
    (money_cell(None, "KRW"), "0"),
    (D("1E+3"), "1000"),
    (-3, "-3"),
    (12.5, "12.5"),
    (None, ""),
    (True, "yes"),
    (date(2026, 11, 30), "2026-11-30"),
    (datetime(2026, 11, 30, 23, 5, 9, 123456, tzinfo=UTC), "2026-11-30 23:05:09"),
    (datetime(2026, 12, 1, 8, 5, 9, 1, tzinfo=timezone(timedelta(hours=9))), "2026-11-30 23:05:09"),
    ("-1086.00", "'-1086.00"),  # text that looks like a formula is escaped
    ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
    ("+1", "'+1"), ("@cmd", "'@cmd"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("Mika's merino", "Mika's merino"),
])
def test_cells(value, written):
    assert csv_cell(value) == written


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
