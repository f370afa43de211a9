"""Orders after checkout: their status (shipping, delivery), fraud review, and the shop's
daily rollup that payments and refunds keep."""

import logging
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from common.transitions import record, transition

from .. import signals
from ..models import Order, Product, Refund, ShopDailyStats

logger = logging.getLogger(__name__)
User = AbstractBaseUser

_STATUS_TIMESTAMPS = {
    Order.Status.PAID: "paid_at",
    Order.Status.SHIPPED: "shipped_at",
    Order.Status.DELIVERED: "delivered_at",
    Order.Status.CANCELLED: "cancelled_at",
}
_STATUS_SIGNALS = {
    Order.Status.PAID: signals.order_paid,
    Order.Status.CANCELLED: signals.order_cancelled,
}


@transaction.atomic
def order_set_status(*, order: Order, to: str, by: User | None = None, note: str = "") -> Order:
    """Move the order (Order.TRANSITIONS), stamp when, and tell other apps after commit
    (order_paid, order_cancelled)."""
    stamp = _STATUS_TIMESTAMPS.get(to)
    order = transition(order, to=to, by=by, reason=note, **({stamp: timezone.now()} if stamp else {}))
    logger.info("order %s status -> %s", order.pk, to)
    signal = _STATUS_SIGNALS.get(to)
    if signal is not None:
        transaction.on_commit(lambda: signal.send(sender=Order, order=order))
    return order


def order_ship(*, order: Order, by: User, tracking_number: str) -> Order:
    """The seller shipped a paid order with this tracking number (not one being cancelled)."""
    tracking_number = tracking_number.strip()
    if not tracking_number:
        raise ValidationError("Enter the parcel's tracking number.")
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.refunds.filter(status=Refund.Status.PENDING, cancels_order=True).exists():
            raise ValidationError("This order is being cancelled; it cannot ship.")
        order = order_set_status(order=order, to=Order.Status.SHIPPED, by=by, note=f"Tracking {tracking_number}")
        Order.objects.filter(pk=order.pk).update(tracking_number=tracking_number)
        order.tracking_number = tracking_number
    return order


def order_deliver(*, order: Order, by: User) -> Order:
    """The order reached the buyer."""
    return order_set_status(order=order, to=Order.Status.DELIVERED, by=by)


@transaction.atomic
def order_review_set(*, order: Order, by: User, under_review: bool, reason: str) -> Order:
    """Hold an order for fraud review, or release it, with the staff member's reason.
    Other apps follow through the order_review_changed signal (after commit)."""
    if not reason.strip():
        raise ValidationError("Give the reason: it is kept in the order's history.")
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.under_review == under_review:
        raise ValidationError("The order is already under review." if under_review
                              else "The order is not under review.")
    order.under_review = under_review
    order.save(update_fields=["under_review"])
    record(order, by=by, reason=("Held for review: " if under_review else "Released from review: ") + reason.strip())
    transaction.on_commit(lambda: signals.order_review_changed.send(
        sender=Order, order=order, under_review=under_review, by=by, reason=reason.strip()))
    return order


def order_hold_for_review(*, order: Order, by: User, reason: str) -> Order:
    """Staff hold an order for fraud review: its commissions stop until it is released."""
    return order_review_set(order=order, by=by, under_review=True, reason=reason)


def order_release_review(*, order: Order, by: User, reason: str) -> Order:
    """Staff release an order from fraud review: its commissions go on."""
    return order_review_set(order=order, by=by, under_review=False, reason=reason)


def shop_stats_add(*, shop_id: int, day, orders: int = 0, gmv: Decimal = Decimal("0")) -> None:
    """Add to a shop's daily rollup (one upsert)."""
    ShopDailyStats.objects.get_or_create(shop_id=shop_id, day=day)
    ShopDailyStats.objects.filter(shop_id=shop_id, day=day).update(orders=F("orders") + orders, gmv=F("gmv") + gmv)


def restock(order: Order) -> None:
    """Put the order's units back in stock (products in id order, as checkout locks them)."""
    for line in order.lines.select_related("product").order_by("product_id"):
        if line.product.stock is not None:
            Product.objects.filter(pk=line.product_id).update(stock=F("stock") + line.quantity)
