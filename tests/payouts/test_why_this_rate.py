"""What a seller and a creator see about each commission: the rate, where it comes from,
the protection from a cut; and the creator's earnings page around an early payout."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from affiliates.models import RateChange
from payouts import services
from payouts.models import Commission
from tests.factories import (
    CreatorFactory,
    LinkFactory,
    ProductFactory,
    ProgramFactory,
    ShopMembershipFactory,
    collaboration,
    open_product,
)
from tests.payouts.test_commissions import attributed_order
from tests.payouts.test_runs import credit
from tests.payouts.test_views import _csv

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def shop_sales():
    """One shop, three creators, three sources: a targeted collaboration at 25 %, the
    product's open rate 20 % and a holder protected from a cut of it to 12 %."""
    program = ProgramFactory(default_rate=D("10"))
    product = ProductFactory(shop=program.shop, price=D("50.00"), title="Desk lamp")
    open_product(product, D("20"), at=timezone.now() - timedelta(days=100))
    targeted = LinkFactory(product=product, created_at=timezone.now() - timedelta(days=50))
    collaboration(targeted.creator, program, product_rates={product: D("25")})
    protected = LinkFactory(product=product, created_at=timezone.now() - timedelta(days=50))
    cut_at = timezone.now() - timedelta(days=5)
    RateChange.objects.create(program=program, product=product, old_rate=D("20"), new_rate=D("12"), changed_at=cut_at)
    newcomer = LinkFactory(product=product, created_at=timezone.now() - timedelta(days=1))
    orders = {name: attributed_order(link) for name, link in
              [("targeted", targeted), ("protected", protected), ("newcomer", newcomer)]}
    services.commissions_create_for_orders(order_ids=[order.pk for order in orders.values()])
    seller = ShopMembershipFactory(shop=program.shop).user
    return {"program": program, "orders": orders, "seller": seller, "cut_at": cut_at}


def test_a_commission_remembers_the_cut_it_was_protected_from(shop_sales):
    protected = Commission.objects.get(order=shop_sales["orders"]["protected"])
    assert protected.rate == D("20") and protected.protected_until == shop_sales["cut_at"] + timedelta(days=30)
    assert Commission.objects.get(order=shop_sales["orders"]["newcomer"]).protected_until is None


def test_affiliate_orders_say_the_rate_its_source_and_protection(client, shop_sales):
    client.force_login(shop_sales["seller"])
    page = client.get(reverse("seller:affiliate_orders")).content.decode()
    until = (shop_sales["cut_at"] + timedelta(days=30)).date().isoformat()
    assert "25 %: Targeted collaboration" in page
    assert f"20 %: Product&#x27;s open rate, protected from a rate cut until {until}" in page
    assert "12 %: Product&#x27;s open rate<" in page
    rows = _csv(client.get(reverse("seller:affiliate_orders"), {"export": "csv"}))
    rates = sorted(row[rows[0].index("Rate and why")] for row in rows[1:])
    assert rates == ["12 %: Product's open rate", f"20 %: Product's open rate, protected from a rate cut until {until}",
                     "25 %: Targeted collaboration"]


def test_the_statement_splits_a_product_by_rate_and_source(client, shop_sales):
    client.force_login(shop_sales["seller"])
    month = timezone.now().strftime("%Y-%m")
    by_product = client.get(reverse("seller:statement"), {"month": month}).context["statement"]["by_product"]
    assert sorted((row["rate"], row["source_label"], row["commission"]) for row in by_product) == [
        (D("12"), "Product's open rate", D("6.00")), (D("20"), "Product's open rate", D("10.00")),
        (D("25"), "Targeted collaboration", D("12.50"))]
    rows = _csv(client.get(reverse("seller:statement"), {"month": month, "export": "csv"}))
    header = rows[0]
    assert header[-2:] == ["rate %", "rate source"] and all(len(row) == len(header) for row in rows)
    products = [row for row in rows if row[1] == "computed, by product"]
    assert sorted((row[header.index("rate %")], row[header.index("rate source")]) for row in products) == [
        ("12.00", "Product's open rate"), ("20.00", "Product's open rate"), ("25.00", "Targeted collaboration")]


def test_another_shop_sees_none_of_it(client, shop_sales):
    client.force_login(ShopMembershipFactory(shop=ProgramFactory().shop).user)
    assert "Targeted collaboration" not in client.get(reverse("seller:affiliate_orders")).content.decode()


def test_the_creators_earnings_name_the_shop_column_and_the_protection(client, shop_sales):
    creator = Commission.objects.get(order=shop_sales["orders"]["protected"]).creator
    client.force_login(creator.user)
    response = client.get(reverse("creator:earnings"))
    table = response.context["table"]
    assert table.columns["shop"].verbose_name == "Shop"
    assert "protected from a rate cut until" in response.content.decode()


def test_a_pending_early_request_replaces_the_button(client):
    creator = CreatorFactory()
    credit(creator, "80.00")
    client.force_login(creator.user)
    assert "Ask for an early payout" in client.get(reverse("creator:earnings")).content.decode()
    client.post(reverse("creator:early_payout"), {"currency": "USD"})
    page = client.get(reverse("creator:earnings")).content.decode()
    assert "Ask for an early payout" not in page and "Early payout requested on" in page
    # Payouts come before the long commission list.
    assert page.index(">Payouts</h2>") < page.index(">Commissions</h2>")
