"""The rate a link holder really earns after a cut, each link's earnings over time, the
seller's schedule of cuts and who they protect, and commission beside GMV for sellers."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from affiliates import services as affiliate_services
from affiliates.models import RateChange
from tests.factories import (
    CreatorFactory,
    LinkFactory,
    ProductFactory,
    ProgramFactory,
    ShopMembershipFactory,
    open_product,
)
from tests.tracking.test_views import _stats

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def cut():
    """A product open at 20 %, cut to 12 % five days ago; a creator linked before it."""
    program = ProgramFactory(default_rate=D("10"))
    product = ProductFactory(shop=program.shop, title="Desk lamp")
    open_product(product, D("20"), at=timezone.now() - timedelta(days=100))
    holder = LinkFactory(product=product, created_at=timezone.now() - timedelta(days=40))
    seller = ShopMembershipFactory(shop=program.shop).user
    cuts = affiliate_services.open_products_set(program=program, by=seller, rates={product.pk: D("12")})
    return {"program": program, "product": product, "holder": holder, "seller": seller, "cut": cuts[0]}


def test_a_link_holder_sees_the_protected_rate_and_when_it_ends(client, cut):
    client.force_login(cut["holder"].creator.user)
    response = client.get(reverse("creator:marketplace_product", args=[cut["product"].pk]))
    until = (cut["cut"].changed_at + timedelta(days=30)).date().isoformat()
    assert response.context["quote"].rate == D("20")
    assert f"Protected until {until}, then 12 %" in response.content.decode()
    assert "Get my link" not in response.content.decode()  # they have one: it is shown instead
    client.force_login(CreatorFactory().user)
    newcomer = client.get(reverse("creator:marketplace_product", args=[cut["product"].pk]))
    assert newcomer.context["quote"].rate == D("12") and "Protected until" not in newcomer.content.decode()


def test_a_links_own_page_shows_its_earnings_per_day(client, cut):
    link = cut["holder"]
    today = timezone.now().date()
    _stats(link, today, clicks=5, unique_clicks=4, orders=1, gmv=D("50.00"), commission=D("10.00"))
    _stats(link, today - timedelta(days=2), clicks=3, unique_clicks=3, commission=D("2.50"))
    client.force_login(link.creator.user)
    response = client.get(reverse("creator:link_detail", args=[link.code]), {"days": 7})
    assert response.context["totals"]["commission"] == D("12.50")
    chart = response.context["chart"]
    assert len(chart["earnings"]) == 7 and chart["earnings"][-1] == 10.0 and chart["earnings"][-3] == 2.5
    assert 'id="chart-link-earnings"' in response.content.decode()
    links = client.get(reverse("creator:links"), {"days": 7})
    row = next(iter(links.context["table"].data))
    assert row["commission"] == D("12.50") and links.context["table"].columns["commission"].verbose_name == "Earned"
    assert reverse("creator:link_detail", args=[link.code]) in links.content.decode()


def test_a_links_page_is_only_its_creators(client, cut):
    url = reverse("creator:link_detail", args=[cut["holder"].code])
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(CreatorFactory().user)
    assert client.get(url).status_code == 404
    client.force_login(cut["seller"])
    assert client.get(url).status_code == 403
    client.force_login(cut["holder"].creator.user)
    assert client.get(reverse("creator:link_detail", args=["nosuchcode"])).status_code == 404


def test_open_products_show_the_cut_waiting_to_apply(client, cut):
    client.force_login(cut["seller"])
    page = client.get(reverse("seller:open_products")).content.decode()
    applies = (cut["cut"].changed_at + timedelta(days=30)).date().isoformat()
    assert "Desk lamp: 20 % → 12 %" in page and applies in page
    assert reverse("seller:rate_cuts") in page


def test_the_rate_cuts_page_lists_the_protected_creators(client, cut):
    LinkFactory(product=cut["product"], created_at=timezone.now())  # made after the cut: not protected
    client.force_login(cut["seller"])
    response = client.get(reverse("seller:rate_cuts"))
    [(listed_cut, count, links)] = response.context["cuts"]
    assert listed_cut == cut["cut"] and count == 1 and links == [cut["holder"]]
    assert f"@{cut['holder'].creator.handle}" in response.content.decode()


def test_a_raise_after_a_cut_leaves_nothing_waiting(client, cut):
    affiliate_services.open_products_set(program=cut["program"], by=cut["seller"], rates={cut["product"].pk: D("25")})
    client.force_login(cut["seller"])
    assert client.get(reverse("seller:rate_cuts")).context["cuts"] == []


def test_a_default_rate_cut_protects_every_earlier_link_of_the_shop(client, cut):
    other = ProductFactory(shop=cut["program"].shop)
    early = LinkFactory(product=other, created_at=timezone.now() - timedelta(days=20))
    RateChange.objects.create(program=cut["program"], old_rate=D("10"), new_rate=D("6"),
                              changed_at=timezone.now() - timedelta(days=1))
    client.force_login(cut["seller"])
    cuts = {listed.product_id: links for listed, _, links in client.get(reverse("seller:rate_cuts")).context["cuts"]}
    assert set(cuts[None]) == {cut["holder"], early}


def test_the_rate_cuts_page_is_the_sellers_own(client, cut):
    url = reverse("seller:rate_cuts")
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(cut["holder"].creator.user)
    assert client.get(url).status_code == 403
    client.force_login(ShopMembershipFactory(shop=ProgramFactory().shop).user)
    assert client.get(url).context["cuts"] == []


def test_performance_and_the_home_page_show_commission(client):
    link = LinkFactory()
    _stats(link, timezone.now().date(), clicks=10, unique_clicks=8, orders=2, gmv=D("50.00"), commission=D("7.50"))
    client.force_login(ShopMembershipFactory(shop=link.product.shop).user)
    for by in ("product", "creator"):
        table = client.get(reverse("seller:performance"), {"by": by}).context["table"]
        assert next(iter(table.data))["commission"] == D("7.50") and "commission" in table.columns.names()
    home = client.get(reverse("seller:home"))
    [top] = home.context["top_creators"]
    assert top["commission"] == D("7.50") and 'id="top-creators"' in home.content.decode()
