"""The pages of creator codes and content: the creator's, the seller's and the buyer's
(cart and checkout). Anonymous visitors, wrong roles, other owners, bad input."""

from decimal import Decimal

import pytest
from django.urls import reverse

from affiliates import services as affiliate_services
from affiliates.models import Content, CreatorCode
from shops.models import Order
from tests.factories import BUYER, CreatorFactory, LinkFactory, ProgramFactory, ShopMembershipFactory
from tests.tracking.test_codes_and_content import world  # noqa: F401 - the fixture
from tracking import services

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_creator_makes_a_code_on_their_codes_page(client, world):  # noqa: F811
    other = CreatorFactory()
    LinkFactory(creator=other, product=world["lamp"])
    client.force_login(other.user)
    url = reverse("creator:codes")
    page = client.get(url)
    assert list(page.context["form"].fields["program"].queryset) == [world["program"]]
    response = client.post(url, {"program": world["program"].pk, "code": "mika10"})
    assert response.status_code == 400 and "taken" in response.content.decode()
    assert client.post(url, {"program": world["program"].pk, "code": "<script>"}).status_code == 400
    assert client.post(url, {"program": 999999, "code": ""}).status_code == 400
    assert CreatorCode.objects.filter(creator=other).count() == 0
    response = client.post(url, {"program": world["program"].pk, "code": "other5"}, follow=True)
    assert "Your code OTHER5 works" in response.content.decode()
    assert "MIKA10" not in response.content.decode()  # someone else's code


def test_codes_pages_need_the_right_role(client, world):  # noqa: F811
    for name in ("creator:codes", "creator:contents"):
        assert client.get(reverse(name))["Location"].startswith(reverse("account_login"))
    client.force_login(world["seller"])
    assert client.get(reverse("creator:codes")).status_code == 403
    client.force_login(world["creator"].user)
    assert client.get(reverse("seller:codes")).status_code == 403


def test_the_seller_sets_a_codes_terms_and_switches_it_off(client, world):  # noqa: F811
    client.force_login(world["seller"])
    listing = client.get(reverse("seller:codes")).content.decode()
    assert "MIKA10" in listing and "10 % off (at most $15.00)" in listing
    url = reverse("seller:code_edit", args=[world["code"].pk])
    bad = client.post(url, {"discount_kind": "percent", "discount_value": "95", "is_active": "on"})
    assert bad.status_code == 400
    assert client.post(url, {"discount_kind": "percent", "discount_value": "10", "starts_on": "2026-12-10",
                             "ends_on": "2026-12-01", "is_active": "on"}).status_code == 400
    assert CreatorCode.objects.get().discount_value == D("10.00")
    client.post(url, {"discount_kind": "fixed", "discount_value": "5", "usage_limit": "100"})  # unchecked: off
    code = CreatorCode.objects.get()
    assert (code.discount_kind, code.discount_value, code.usage_limit, code.is_active) == ("fixed", D("5.00"), 100,
                                                                                             False)


def test_another_shops_code_is_404_for_a_seller(client, world):  # noqa: F811
    client.force_login(ShopMembershipFactory(shop=ProgramFactory().shop).user)
    assert client.get(reverse("seller:code_edit", args=[world["code"].pk])).status_code == 404
    assert client.post(reverse("seller:code_edit", args=[world["code"].pk]), {}).status_code == 404


def test_a_buyer_enters_a_code_and_sees_the_discount_before_paying(client, world,  # noqa: F811
                                                                  django_capture_on_commit_callbacks):
    shop = world["program"].shop
    client.post(reverse("shop:cart_add", args=[world["lamp"].pk]), {"quantity": 1})
    wrong = client.post(reverse("shop:cart_code", args=[shop.slug]), {"code": "nope1", "next": "checkout"},
                        follow=True)
    assert "There is no code NOPE1 at this shop." in wrong.content.decode()
    client.post(reverse("shop:cart_code", args=[shop.slug]), {"code": " mika10 ", "next": "checkout"})
    page = client.get(reverse("shop:checkout", args=[shop.slug]))
    text = page.content.decode()
    assert 'id="checkout-discount"' in text and "-$4.00" in text and "with @mika&#x27;s code" in text
    data = {**BUYER, "card_number": "4242424242424242", "expiry": "12/39", "cvc": "123",
            "checkout_key": page.context["form"].initial["checkout_key"]}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("shop:checkout", args=[shop.slug]), data)
    order = Order.objects.get()
    assert order.code == "MIKA10" and order.discount == D("4.00") and order.conversion.via == "code"


def test_a_code_switched_off_after_it_was_entered_is_dropped_with_a_message(client, world):  # noqa: F811
    shop = world["program"].shop
    client.post(reverse("shop:cart_add", args=[world["lamp"].pk]), {"quantity": 1})
    client.post(reverse("shop:cart_code", args=[shop.slug]), {"code": "MIKA10"})
    CreatorCode.objects.update(is_active=False)
    page = client.get(reverse("shop:cart"))
    assert "no longer valid" in page.content.decode() and "checkout-discount" not in page.content.decode()


def test_a_creator_registers_a_post_and_gets_its_links(client, world):  # noqa: F811
    client.force_login(world["creator"].user)
    url = reverse("creator:contents")
    assert client.post(url, {"url": "javascript:alert(1)", "title": "x", "products": [world["lamp"].pk]}
                       ).status_code == 400
    assert client.post(url, {"url": "https://x.com/1", "title": "x", "products": [world["mug"].pk]}
                       ).status_code == 400  # no link for the mug: not offered
    assert not Content.objects.exists()
    response = client.post(url, {"url": "https://www.tiktok.com/@mika/video/5", "title": "Desk tour",
                                 "products": [world["lamp"].pk]}, follow=True)
    content = Content.objects.get()
    assert response.request["PATH_INFO"] == reverse("creator:content_detail", args=[content.pk])
    assert f"/r/{world['link'].code}/{content.tag}" in response.content.decode()
    assert "Desk tour" in client.get(url).content.decode()


def test_another_creators_post_is_404(client, world):  # noqa: F811
    content = services.content_register(creator=world["creator"], url="https://x.com/2", title="Mine",
                                        products=[world["lamp"]])
    client.force_login(CreatorFactory().user)
    assert client.get(reverse("creator:content_detail", args=[content.pk])).status_code == 404


def test_the_sellers_performance_has_a_content_tab_and_the_channel_split(client, world):  # noqa: F811
    affiliate_services.code_update(code=world["code"], by=world["seller"], discount_kind="none",
                                   discount_value=D("0"), discount_cap=None, starts_on=None, ends_on=None,
                                   usage_limit=None, is_active=True)
    client.force_login(world["seller"])
    response = client.get(reverse("seller:performance"), {"by": "content"})
    assert response.status_code == 200 and response.context["tab"] == "content"
    assert 'id="channels"' in response.content.decode()
    csv = b"".join(client.get(reverse("seller:performance"), {"by": "content", "export": "csv"}).streaming_content)
    assert csv.startswith(b"Content,")
