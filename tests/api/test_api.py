"""The API: tokens (made on the settings page, shown once, scoped, revoked, rate-limited),
every endpoint scoped like the pages (another owner's id is a 404), cursor pagination,
filters, and bad parameters answered with a 400 and a message, never a 500."""

from decimal import Decimal

import pytest
from django.urls import reverse

from api import services
from api.auth import TokenRateThrottle
from api.models import ApiToken
from payouts import services as payout_services
from shops.models import Product
from tests.api.conftest import bearer
from tests.factories import (
    CreatorFactory,
    LinkFactory,
    ProductFactory,
    ProgramFactory,
    ShopMembershipFactory,
    UserFactory,
    open_product,
)
from tests.payouts.test_commissions import attributed_order

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_token_is_made_on_the_settings_page_shown_once_and_revoked(client):
    seller = ShopMembershipFactory().user
    client.force_login(seller)
    page = client.post(reverse("api_settings"), {"form": "token", "name": "Books", "scope": "read"}, follow=True)
    raw = page.context["new_token"]
    assert raw.startswith("ksk_") and raw in page.content.decode()
    token = ApiToken.objects.get()
    assert token.key_hash != raw and raw not in str(token.__dict__)  # only the hash is kept
    assert raw not in client.get(reverse("api_settings")).content.decode()  # shown once
    assert client.get(reverse("api:seller_products"), **bearer(raw)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert client.post(reverse("api_settings"), {"form": "token", "name": "", "scope": "read"}).status_code == 400
    client.post(reverse("api_token_revoke", args=[token.pk]))
    response = client.get(reverse("api:seller_products"), **bearer(raw))
    assert response.status_code == 401 and "revoked" in response.json()["detail"]


def test_someone_elses_token_cannot_be_revoked(client, seller_token):
    membership, _ = seller_token
    client.force_login(ShopMembershipFactory().user)
    token = ApiToken.objects.get(user=membership.user)
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.get(pk=token.pk).is_active


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer nope", "Bearer ksk_forged", "Token ksk_x", "Bearer \x00"])
def test_without_a_valid_token_nothing_is_answered(client, header):
    response = client.get(reverse("api:seller_products"), HTTP_AUTHORIZATION=header)
    assert response.status_code in (401, 403) and "detail" in response.json()


def test_a_read_token_cannot_change_anything(client, creator_token):
    creator, auth = creator_token
    LinkFactory(creator=creator)
    product = ProductFactory()
    response = client.post(reverse("api:creator_links"), {"product_id": product.pk}, content_type="application/json",
                           **auth)
    assert response.status_code == 403 and "only read" in response.json()["detail"]


def test_the_rate_limit_answers_429_with_retry_after(client, seller_token, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/min"})
    _, auth = seller_token
    codes = [client.get(reverse("api:seller_products"), **auth).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get(reverse("api:seller_products"), **auth)
    assert int(response["Retry-After"]) > 0


def test_the_wrong_role_is_refused(client, creator_token, seller_token):
    _, creator_auth = creator_token
    _, seller_auth = seller_token
    assert client.get(reverse("api:seller_products"), **creator_auth).status_code == 403
    assert client.get(reverse("api:creator_links"), **seller_auth).status_code == 403


@pytest.fixture
def market(seller_token):
    """The token's shop with a product, an attributed paid order and its commission; and
    another shop with the same."""
    membership, auth = seller_token
    program = ProgramFactory(shop=membership.shop)
    mine = ProductFactory(shop=membership.shop, price=D("25.00"), stock=5)
    open_product(mine)
    link = LinkFactory(product=mine)
    order = attributed_order(link)
    payout_services.commissions_create_for_orders(order_ids=[order.pk])
    other = LinkFactory()
    other_order = attributed_order(other)
    return {"membership": membership, "auth": auth, "program": program, "product": mine, "order": order,
            "link": link, "other_product": other.product, "other_order": other_order}


def test_seller_endpoints_answer_only_with_the_own_shop(client, market):
    auth = market["auth"]
    products = client.get(reverse("api:seller_products"), **auth).json()["results"]
    assert [p["id"] for p in products] == [market["product"].pk]
    assert products[0]["price"] == {"amount": "25.00", "currency": "USD", "minor_unit": 2}
    orders = client.get(reverse("api:seller_orders"), **auth).json()["results"]
    assert [o["number"] for o in orders] == [market["order"].number]
    assert orders[0]["attribution"]["creator"] == market["link"].creator.handle
    assert orders[0]["lines"][0]["net_amount"]["amount"] == "25.00"
    affiliate = client.get(reverse("api:seller_affiliate_orders"), **auth).json()["results"]
    assert affiliate[0]["commission"]["amount"] == "2.50" and affiliate[0]["rates"][0]["rate"] == "10.00"
    assert "Program default" in affiliate[0]["rates"][0]["why"]
    for name, pk in (("api:seller_product", market["other_product"].pk),
                     ("api:seller_order", market["other_order"].pk)):
        assert client.get(reverse(name, args=[pk]), **auth).status_code == 404
    assert client.patch(reverse("api:seller_product", args=[market["other_product"].pk]), {"stock": 1},
                        content_type="application/json", **auth).status_code == 404


def test_a_seller_updates_price_and_stock_and_bad_values_are_400(client, market):
    url, auth = reverse("api:seller_product", args=[market["product"].pk]), market["auth"]
    response = client.patch(url, {"price": "19.90", "stock": 40}, content_type="application/json", **auth)
    assert response.status_code == 200 and response.json()["price"]["amount"] == "19.90"
    product = Product.objects.get(pk=market["product"].pk)
    assert (product.price, product.stock, product.status) == (D("19.90"), 40, "live")
    for bad in ({}, {"price": "-1"}, {"price": "abc"}, {"stock": -3}, {"stock": 10**9}, {"price": "1.001"}):
        response = client.patch(url, bad, content_type="application/json", **auth)
        assert response.status_code == 400, bad
    assert Product.objects.get(pk=product.pk).price == D("19.90")


def test_performance_statements_and_bad_parameters(client, market):
    auth = market["auth"]
    for by in ("product", "creator", "content", "day"):
        body = client.get(reverse("api:seller_performance"), {"by": by}, **auth).json()
        assert body["by"] == by
    by_product = client.get(reverse("api:seller_performance"), **auth).json()["rows"]
    assert by_product[0]["orders"] == 1 and by_product[0]["gmv"]["amount"] == "25.00"
    month = market["order"].placed_at.strftime("%Y-%m")
    statement = client.get(reverse("api:seller_statement", args=[month]), **auth).json()
    assert statement["computed"]["amount"] == "2.50" and statement["by_product"][0]["rate"] == "10.00"
    for params in ({"by": "nope"}, {"start": "yesterday"}, {"start": "2026-02-10", "end": "2026-02-01"},
                   {"start": "2000-01-01"}):
        response = client.get(reverse("api:seller_performance"), params, **auth)
        assert response.status_code == 400 and response.json(), params
    assert client.get(reverse("api:seller_statement", args=["2026-13"]), **auth).status_code == 400
    assert client.get(reverse("api:seller_orders"), {"status": "bogus"}, **auth).status_code == 400


def test_cursor_pagination(client, market):
    for _ in range(3):
        ProductFactory(shop=market["membership"].shop)
    seen, url = [], reverse("api:seller_products") + "?page_size=2"
    while url:
        body = client.get(url, **market["auth"]).json()
        seen += [p["id"] for p in body["results"]]
        url = body["next"]
    assert len(seen) == 4 == len(set(seen))
    assert client.get(reverse("api:seller_products"), {"cursor": "garbage"}, **market["auth"]).status_code == 404


def test_a_seller_invites_a_creator_through_the_api(client, market):
    creator = CreatorFactory(handle="apicreator")
    url, auth = reverse("api:seller_invitations"), market["auth"]
    response = client.post(url, {"creator": "apicreator", "all_products_rate": "15"}, content_type="application/json",
                           **auth)
    assert response.status_code == 201 and response.json()["creator"] == "apicreator"
    for bad in ({"creator": "nobody", "all_products_rate": "15"}, {"creator": "apicreator"},
                {"creator": "apicreator", "product_rates": {str(market["other_product"].pk): "12"}},
                {"creator": "apicreator", "all_products_rate": "500"}):
        assert client.post(url, bad, content_type="application/json", **auth).status_code == 400, bad
    assert [i["creator"] for i in client.get(url, **auth).json()["results"]] == ["apicreator"]
    assert creator.invitations.count() == 1


def test_creator_endpoints_answer_only_with_the_own(client, market):
    creator = market["link"].creator
    _, raw = services.token_create(user=creator.user, name="Sheet", scope="write")
    auth = bearer(raw)
    links = client.get(reverse("api:creator_links"), **auth).json()["results"]
    assert [link["code"] for link in links] == [market["link"].code]
    commissions = client.get(reverse("api:creator_commissions"), **auth).json()["results"]
    assert commissions[0]["amount"]["amount"] == "2.50" and commissions[0]["status"] == "pending"
    assert client.get(reverse("api:creator_commissions"), {"status": "approved"}, **auth).json()["results"] == []
    assert client.get(reverse("api:creator_commissions"), {"status": "x"}, **auth).status_code == 400
    balance = client.get(reverse("api:creator_balance"), **auth).json()
    assert balance["commissions"]["USD"]["pending"]["amount"] == "2.50"
    assert client.get(reverse("api:creator_performance"), {"by": "day"}, **auth).json()["rows"][0]["orders"] == 1
    [by_link] = client.get(reverse("api:creator_performance"), **auth).json()["rows"]
    assert (by_link["link"], by_link["earned"]["amount"]) == (market["link"].code, "2.50")
    assert client.get(reverse("api:creator_payouts"), **auth).json()["results"] == []
    made = client.post(reverse("api:creator_links"), {"product_id": market["product"].pk},
                       content_type="application/json", **auth)
    assert made.status_code == 201 and made.json()["code"] == market["link"].code  # the same link
    closed = ProductFactory(shop=market["program"].shop)  # not open
    refused = client.post(reverse("api:creator_links"), {"product_id": closed.pk}, content_type="application/json",
                          **auth)
    assert refused.status_code == 400 and "apply" in str(refused.json())
    assert client.post(reverse("api:creator_links"), {"product_id": "x"}, content_type="application/json",
                       **auth).status_code == 400


def test_the_schema_and_docs_are_served(client):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200 and b"<redoc" in docs.content and b"googleapis" not in docs.content


def test_the_settings_page_needs_a_role(client):
    assert client.get(reverse("api_settings"))["Location"].startswith(reverse("account_login"))
    client.force_login(UserFactory())
    assert client.get(reverse("api_settings")).status_code == 302

