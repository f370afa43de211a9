"""Staff approve and reject shops and products in /ops/, with a reason the seller reads."""

import pytest
from django.urls import reverse

from shops.models import Product, Shop
from tests.factories import ActiveShopFactory, ProductFactory, UserFactory, paid_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _act(client, model, action, objs, **extra):
    url = reverse(f"admin:shops_{model}_changelist")
    return client.post(url, {"action": action, "_selected_action": [o.pk for o in objs], **extra}, follow=True)


def test_approve_pending_shops(client, staff):
    shop = ActiveShopFactory(status=Shop.Status.PENDING)
    response = _act(client, "shop", "shop_approve", [shop])
    shop.refresh_from_db()
    assert shop.status == Shop.Status.ACTIVE
    assert "1 changed" in response.content.decode()


def test_reject_asks_for_a_reason_first(client, staff):
    shop = ActiveShopFactory(status=Shop.Status.PENDING)
    page = _act(client, "shop", "shop_reject", [shop])
    assert "Reason" in page.content.decode()
    shop.refresh_from_db()
    assert shop.status == Shop.Status.PENDING
    _act(client, "shop", "shop_reject", [shop], apply="1", reason="")
    shop.refresh_from_db()
    assert shop.status == Shop.Status.PENDING
    _act(client, "shop", "shop_reject", [shop], apply="1", reason="Legal name missing")
    shop.refresh_from_db()
    assert (shop.status, shop.status_reason) == (Shop.Status.REJECTED, "Legal name missing")


def test_product_approval_and_refusals_are_reported(client, staff):
    waiting = ProductFactory(status=Product.Status.IN_REVIEW)
    draft = ProductFactory(status=Product.Status.DRAFT)
    response = _act(client, "product", "product_approve", [waiting, draft]).content.decode()
    waiting.refresh_from_db()
    draft.refresh_from_db()
    assert waiting.status == Product.Status.LIVE and draft.status == Product.Status.DRAFT
    assert "1 changed" in response and "cannot become live" in response


def test_rejected_product_shows_the_reason_to_its_seller(client, staff):
    product = ProductFactory(status=Product.Status.IN_REVIEW)
    _act(client, "product", "product_reject", [product], apply="1", reason="Blurry pictures")
    seller = UserFactory()
    product.shop.memberships.create(user=seller)
    client.force_login(seller)
    assert "Blurry pictures" in client.get(reverse("seller:product_edit", args=[product.pk])).content.decode()


@pytest.mark.parametrize("model", ["shop", "product", "order", "category"])
def test_changelists_search_and_change_pages_open(client, staff, model):
    order = paid_order((ProductFactory(), 1))
    obj = {"shop": order.shop, "product": order.lines.get().product, "order": order,
           "category": order.lines.get().product.category}[model]
    assert client.get(reverse(f"admin:shops_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:shops_{model}_changelist"), {"q": "x"}).status_code == 200
    assert client.get(reverse(f"admin:shops_{model}_change", args=[obj.pk])).status_code == 200


def test_order_money_and_status_are_read_only_in_the_admin(client, staff):
    order = paid_order((ProductFactory(), 1))
    client.post(reverse("admin:shops_order_change", args=[order.pk]), {"status": "refunded", "total": "0"})
    order.refresh_from_db()
    assert order.status == "paid" and order.total > 0


def test_a_reason_over_500_characters_is_a_form_error_and_changes_nothing(client, staff):
    shop = ActiveShopFactory(status=Shop.Status.PENDING)
    page = _act(client, "shop", "shop_reject", [shop], apply="1", reason="x" * 501)
    assert "at most 500 characters" in page.content.decode()
    shop.refresh_from_db()
    assert shop.status == Shop.Status.PENDING


def test_a_long_reason_is_kept_whole_in_the_status_and_its_history(client, staff):
    shop = ActiveShopFactory(status=Shop.Status.PENDING)
    reason = "The legal name on the registration differs from the one on the tax document. " * 6
    _act(client, "shop", "shop_reject", [shop], apply="1", reason=reason)
    shop.refresh_from_db()
    assert (shop.status, shop.status_reason) == (Shop.Status.REJECTED, reason.strip())
    assert shop.audit_entries.last().reason == reason.strip()
    assert shop.history.first().history_change_reason == f"pending -> rejected: {reason.strip()}"
