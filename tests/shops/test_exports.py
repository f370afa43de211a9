"""The seller's CSVs: amounts as numbers with their currency, times in UTC."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from shops import services
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
    assert orders[1][header.index("order total")] == "2172" and orders[1][header.index("order refunded")] == "0"
    assert orders[1][header.index("currency")] == "JPY"


@pytest.mark.django_db
def test_the_orders_csv_has_a_row_per_line_that_reconciles_units_and_amounts(client):
    seller = ShopMembershipFactory(shop__currency="USD")
    lamp = ProductFactory(shop=seller.shop, price=D("20.00"), title="Lamp")
    mug = ProductFactory(shop=seller.shop, price=D("7.50"), title="Mug")
    first = paid_order((lamp, 2), (mug, 1))
    paid_order((lamp, 1), buyer={"email": "other@example.net", "name": "Other", "address_line1": "1", "city": "c",
                                 "postal_code": "1", "country": "US"})
    client.force_login(seller.user)
    line = first.lines.get(title="Lamp")
    services.order_refund(order=first, by=seller.user, quantities={line.pk: 1}, reason="Broken")
    rows = _csv(client.get(reverse("seller:order_list"), {"export": "csv"}))
    header = rows[0]
    assert header[5:12] == ["product", "quantity", "unit price", "discount", "line total", "refunded quantity",
                            "refunded amount"]
    lines = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert sorted((row["order"], row["product"], row["quantity"], row["unit price"], row["line total"],
                   row["refunded quantity"]) for row in lines if row["order"] == first.number) == [
        (first.number, "Lamp", "2", "20.00", "40.00", "1"), (first.number, "Mug", "1", "7.50", "7.50", "0")]
    lamp_units = sum(int(row["quantity"]) - int(row["refunded quantity"]) for row in lines if row["product"] == "Lamp")
    assert lamp_units == 2 and len(lines) == 3
    only = _csv(client.get(reverse("seller:order_list"), {"q": "other@", "export": "csv"}))
    assert [row[header.index("buyer email")] for row in only[1:]] == ["other@example.net"]
    client.force_login(ShopMembershipFactory().user)
    assert len(_csv(client.get(reverse("seller:order_list"), {"export": "csv"}))) == 1
