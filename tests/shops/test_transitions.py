"""The shop app's status moves, against tables written here."""

import pytest

from shops import services
from tests.factories import ActiveShopFactory, ProductFactory, UserFactory, paid_order
from tests.transition_tables import check_moves

pytestmark = pytest.mark.django_db


def test_shop_moves():
    check_moves(ActiveShopFactory(), {
        "draft": {"pending"},
        "pending": {"active", "rejected"},
        "rejected": {"pending"},
        "active": {"suspended"},
        "suspended": {"active"},
    })


def test_product_moves():
    check_moves(ProductFactory(), {
        "draft": {"in_review", "archived"},
        "in_review": {"live", "rejected", "archived"},
        "live": {"in_review", "archived"},
        "rejected": {"in_review", "archived"},
        "archived": {"draft"},
    })


def test_order_moves():
    check_moves(paid_order((ProductFactory(), 1)), {
        "pending_payment": {"paid", "payment_failed"},
        "paid": {"shipped", "delivered", "cancelled", "refunded"},
        "shipped": {"delivered", "refunded"},
        "delivered": {"refunded"},
    })


def test_refund_moves():
    order = paid_order((ProductFactory(), 2))
    refund = services.order_refund(order=order, by=UserFactory(), quantities={order.lines.get().pk: 1}, reason="r")
    check_moves(refund, {"pending": {"succeeded", "failed"}})
