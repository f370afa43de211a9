"""Getting a link, the performance pages, and the public showcase."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from affiliates import services as affiliate_services
from tests.factories import (
    CreatorFactory,
    LinkFactory,
    ProductFactory,
    ProgramFactory,
    ShopMembershipFactory,
    open_product,
)
from tracking.models import Link
from tracking.rollups import Increment, rollup_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_item():
    program = ProgramFactory()
    product = ProductFactory(shop=program.shop)
    open_product(product, Decimal("12"))
    return product


def test_get_my_link_needs_login_and_the_creator_role(client, open_item):
    url = reverse("creator:link_create", args=[open_item.pk])
    assert client.post(url)["Location"].startswith(reverse("account_login"))
    client.force_login(ShopMembershipFactory().user)
    assert client.post(url).status_code == 403
    assert not Link.objects.exists()


def test_get_my_link_returns_the_same_link_every_time(client, open_item):
    creator = CreatorFactory()
    client.force_login(creator.user)
    url = reverse("creator:link_create", args=[open_item.pk])
    first = client.post(url, HTTP_HX_REQUEST="true")
    second = client.post(url, HTTP_HX_REQUEST="true")
    link = Link.objects.get()
    assert f"/r/{link.code}" in first.content.decode() and f"/r/{link.code}" in second.content.decode()
    assert 'data-copy="http://testserver/r/' in first.content.decode()


def test_no_link_for_a_product_the_creator_may_not_promote(client):
    program = ProgramFactory(requires_approval=True)
    product = ProductFactory(shop=program.shop)
    open_product(product)
    client.force_login(CreatorFactory().user)
    response = client.post(reverse("creator:link_create", args=[product.pk]), HTTP_HX_REQUEST="true")
    assert "apply to the shop first" in response.content.decode()
    assert not Link.objects.exists()


def test_no_link_for_a_pending_creator(client, open_item):
    client.force_login(CreatorFactory(status="pending").user)
    client.post(reverse("creator:link_create", args=[open_item.pk]))
    assert not Link.objects.exists()


def test_no_link_for_products_outside_the_marketplace(client):
    client.force_login(CreatorFactory().user)
    assert client.post(reverse("creator:link_create", args=[ProductFactory().pk])).status_code == 404


def _stats(link, day, **values):
    rollup_add([Increment(day=day, link_id=link.pk, values=values)])


def test_seller_performance_by_product_and_creator(client):
    link = LinkFactory()
    other = LinkFactory(product=link.product)
    today = timezone.now().date()
    _stats(link, today, clicks=10, unique_clicks=8, orders=2, gmv=Decimal("50.00"))
    _stats(other, today - timedelta(days=3), clicks=4, unique_clicks=4, orders=1, gmv=Decimal("20.00"))
    _stats(link, today - timedelta(days=60), clicks=100, unique_clicks=100, orders=50, gmv=Decimal("999.00"))
    elsewhere = LinkFactory()
    _stats(elsewhere, today, clicks=7, unique_clicks=7)
    seller = ShopMembershipFactory(shop=link.product.shop).user
    client.force_login(seller)
    response = client.get(reverse("seller:performance"), {"days": 7})
    products = list(response.context["table"].data)
    assert [(r["product_title"], r["clicks"], r["unique_clicks"], r["orders"], r["gmv"]) for r in products] == [
        (link.product.title, 14, 12, 3, Decimal("70.00"))]
    by_creator = client.get(reverse("seller:performance"), {"days": 7, "by": "creator"})
    creators = {r["creator_handle"]: r["orders"] for r in by_creator.context["table"].data}
    assert creators == {link.creator.handle: 2, other.creator.handle: 1}
    csv = b"".join(client.get(reverse("seller:performance"), {"days": 7, "export": "csv"}).streaming_content)
    assert b"25.0 %" not in csv and b"70.00" in csv


@pytest.mark.parametrize("params", [{"days": "abc"}, {"days": "0"}, {"days": "0", "start": "2026-01-05",
                                                                      "end": "2026-01-01"}])
def test_bad_periods_fall_back_to_30_days(client, params):
    link = LinkFactory()
    client.force_login(ShopMembershipFactory(shop=link.product.shop).user)
    response = client.get(reverse("seller:performance"), params)
    assert response.status_code == 200
    assert response.context["period"].days == 30


def test_seller_performance_access(client):
    assert client.get(reverse("seller:performance"))["Location"].startswith(reverse("account_login"))
    client.force_login(CreatorFactory().user)
    assert client.get(reverse("seller:performance")).status_code == 403


def test_creator_links_show_only_their_own(client):
    mine, theirs = LinkFactory(), LinkFactory()
    _stats(mine, timezone.now().date(), clicks=3, unique_clicks=3, orders=1, gmv=Decimal("9.00"))
    _stats(theirs, timezone.now().date(), clicks=99)
    client.force_login(mine.creator.user)
    response = client.get(reverse("creator:links"))
    assert [(r["code"], r["clicks"]) for r in response.context["table"].data] == [(mine.code, 3)]
    assert theirs.code not in response.content.decode()
    client.force_login(ShopMembershipFactory().user)
    assert client.get(reverse("creator:links")).status_code == 403


def test_the_public_showcase_links_through_the_creators_links(client, open_item, django_capture_on_commit_callbacks):
    creator = CreatorFactory(handle="mika")
    with django_capture_on_commit_callbacks(execute=True):
        affiliate_services.showcase_add(creator=creator, product=open_item)
    link = Link.objects.get(creator=creator, product=open_item)
    html = client.get("/@mika/").content.decode()
    assert f'href="/r/{link.code}"' in html


def test_creator_performance_reaches_the_sellers_directory(client):
    """Tracking keeps each creator's last 90 days per currency; a seller finds, filters and
    sorts creators by orders and by GMV in the shop's own currency."""
    from tracking.models import CreatorPerformance
    from tracking.services import creators_performance_refresh

    link = LinkFactory()  # a USD shop
    yen = LinkFactory(creator=link.creator, product=ProductFactory(shop=ProgramFactory(shop__currency="JPY").shop))
    quiet = LinkFactory()
    today = timezone.now().date()
    _stats(link, today - timedelta(days=10), orders=3, gmv=Decimal("120.50"))
    _stats(yen, today - timedelta(days=5), orders=2, gmv=Decimal("4000"))
    _stats(link, today - timedelta(days=120), orders=40, gmv=Decimal("999.00"))  # too old
    _stats(quiet, today - timedelta(days=3), orders=1, gmv=Decimal("10.00"))
    assert creators_performance_refresh() == 3
    assert set(CreatorPerformance.objects.values_list("creator_id", "currency", "orders", "gmv")) == {
        (link.creator_id, "USD", 3, Decimal("120.50")), (link.creator_id, "JPY", 2, Decimal("4000")),
        (quiet.creator_id, "USD", 1, Decimal("10.00"))}
    seller = ShopMembershipFactory(shop=ProgramFactory().shop).user  # sells in USD
    client.force_login(seller)
    table = client.get(reverse("seller:creators"), {"orders_min": 2}).context["table"]
    assert [c.pk for c in table.data] == [link.creator_id]
    assert table.data[0].orders_90d == 5 and table.data[0].gmv_90d == Decimal("120.50")
    by_gmv = client.get(reverse("seller:creators"), {"gmv_min": "50", "sort": "-gmv_90d"}).context["table"]
    assert [c.pk for c in by_gmv.data] == [link.creator_id]
    ordered = client.get(reverse("seller:creators"), {"sort": "-gmv_90d"}).context["table"]
    assert [c.pk for c in ordered.data][:2] == [link.creator_id, quiet.creator_id]
    detail = client.get(reverse("seller:creator_detail", args=[link.creator.handle])).content.decode()
    assert "$120.50 (3 orders)" in detail and "¥4,000 (2 orders)" in detail
