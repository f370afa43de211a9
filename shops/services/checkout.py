"""Checkout: placing an order (prices from the database, stock reserved) and paying it
(one charge per checkout, the gateway called outside any transaction)."""

import secrets
import time
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from common.transitions import record

from .. import emails, signals
from ..codes import code_book
from ..models import Order, OrderLine, Product, Shop
from ..payments import get_gateway
from ..pricing import quote
from .orders import order_set_status, restock, shop_stats_add

User = AbstractBaseUser


def _actor(user: User | None):
    return user if user is not None and user.is_authenticated else None


class CheckoutError(ValidationError):
    """Something the buyer must fix: sold out, not enough stock, card declined."""


@dataclass(frozen=True)
class BuyerDetails:
    email: str
    name: str
    address_line1: str = ""
    address_line2: str = ""
    city: str = ""
    postal_code: str = ""
    country: str = ""


_NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _order_number() -> str:
    return "K" + "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(9))


@transaction.atomic
def order_place(*, shop: Shop, items: dict[int, int], buyer: BuyerDetails, checkout_key: str,
                user: User | None = None, request=None, code: str = "") -> Order:
    """Create an order awaiting payment and reserve its stock, all or nothing.

    Prices are read from the database, never from the cart. Product rows are locked in
    primary-key order, so concurrent checkouts of the last unit queue up rather than
    deadlock, and exactly one of them gets it. A second submission of the same checkout
    form (same `checkout_key`) returns the first order instead of making another.

    A `code` the buyer entered is checked again here (it may have ended since the cart
    showed it), gives its discount, and counts one use in the same transaction: at the
    usage limit the order is refused, so concurrent buyers never overshoot it.
    """
    if not items:
        raise CheckoutError("Your cart is empty.")
    if any(quantity < 1 for quantity in items.values()):
        raise CheckoutError("Quantities must be at least 1.")
    products = list(
        Product.objects.select_for_update().filter(pk__in=items.keys(), shop=shop).order_by("pk")
    )
    existing = Order.objects.filter(checkout_key=checkout_key).first()
    if existing is not None:
        return existing
    if not shop.is_active:
        raise CheckoutError("This shop is not taking orders right now.")
    found = {product.pk: product for product in products}
    problems = []
    for product_id, quantity in items.items():
        product = found.get(product_id)
        if product is None or product.status != Product.Status.LIVE:
            problems.append("An item in your cart is no longer for sale; it was removed.")
        elif product.stock is not None and product.stock < quantity:
            problems.append(
                f"{product.title} is sold out." if product.stock == 0
                else f"Only {product.stock} of {product.title} left; lower the quantity."
            )
    if problems:
        raise CheckoutError(problems)

    offer = None
    if code.strip():
        try:
            offer = code_book().offer(shop_id=shop.pk, text=code)
        except ValidationError as exc:
            raise CheckoutError(exc.messages) from exc
    priced = quote(shop=shop, items=[(product, items[product.pk]) for product in products], offer=offer)
    needs_shipping = priced.needs_shipping
    if needs_shipping and not (buyer.address_line1 and buyer.city and buyer.postal_code and buyer.country):
        raise CheckoutError("Physical items need a shipping address.")
    address = {
        "address_line1": buyer.address_line1, "address_line2": buyer.address_line2, "city": buyer.city,
        "postal_code": buyer.postal_code, "country": buyer.country,
    } if needs_shipping else {}
    try:
        with transaction.atomic():
            order = Order.objects.create(
                shop=shop, number=_order_number(), checkout_key=checkout_key, buyer=_actor(user),
                email=buyer.email, name=buyer.name, **address, currency=priced.currency,
                subtotal=priced.subtotal, discount=priced.discount, code=offer.code if offer else "",
                shipping=priced.shipping, tax=priced.tax, total=priced.total, placed_at=timezone.now(),
            )
    except IntegrityError:
        # The same form, submitted again while this one waited for the locks.
        return Order.objects.get(checkout_key=checkout_key)
    if offer is not None and not code_book().use(shop_id=shop.pk, code=offer.code):
        raise CheckoutError(f"The code {offer.code} has been used as often as the shop allows.")
    OrderLine.objects.bulk_create([
        OrderLine(order=order, product=line.product, title=line.product.title, kind=line.product.kind,
                  unit_price=line.unit_price, quantity=line.quantity, discount=line.discount,
                  net_amount=line.net_amount, tax=line.tax)
        for line in priced.lines
    ])
    for line in priced.lines:
        if line.product.stock is not None:
            Product.objects.filter(pk=line.product.pk).update(stock=F("stock") - line.quantity)
    record(order, from_status="", reason="Order placed")
    transaction.on_commit(lambda: signals.order_placed.send(sender=Order, order=order, request=request))
    return order


PAYMENT_WAIT_SECONDS = 15


def order_pay(*, order: Order, card_number: str) -> Order:
    """Charge the buyer for an order awaiting payment. Declined: the stock goes back.

    Exactly one submission of a checkout charges the card: it claims the payment on the
    order's row first. A second submission (a double click, a retried request) does not
    charge; it waits for the first one's outcome and returns the order as that left it.
    The gateway is called outside any database transaction, so no row stays locked while
    a payment provider thinks, with the checkout's key as its idempotency key.
    """
    claimed = Order.objects.filter(pk=order.pk, status=Order.Status.PENDING_PAYMENT,
                                   payment_started_at__isnull=True).update(payment_started_at=timezone.now())
    if not claimed:
        return _order_payment_outcome(order)
    result = get_gateway().charge(amount=order.total, currency=order.currency, card_number=card_number,
                                  description=f"Order {order.number}", idempotency_key=order.checkout_key)
    if result.approved:
        return _order_mark_paid(order=order, reference=result.reference)
    _order_payment_failed(order=order, message=result.message)
    raise CheckoutError(result.message)


def _order_payment_outcome(order: Order) -> Order:
    """The order once the submission that is charging it is done (or as it is after a while)."""
    deadline = time.monotonic() + PAYMENT_WAIT_SECONDS
    while True:
        order = Order.objects.get(pk=order.pk)
        if order.status != Order.Status.PENDING_PAYMENT or time.monotonic() > deadline:
            return order
        time.sleep(0.1)


@transaction.atomic
def _order_mark_paid(*, order: Order, reference: str) -> Order:
    order = order_set_status(order=order, to=Order.Status.PAID, note=f"Payment {reference}")
    Order.objects.filter(pk=order.pk).update(payment_reference=reference)
    shop_stats_add(shop_id=order.shop_id, day=order.placed_at.date(), orders=1,
                   gmv=sum((line.net_amount for line in order.lines.all()), Decimal("0")))
    for line in order.lines.all():
        Product.objects.filter(pk=line.product_id).update(units_sold=F("units_sold") + line.quantity)
    order.payment_reference = reference
    emails.order_confirmation(Order.objects.select_related("shop").get(pk=order.pk))  # sent after commit
    return order


@transaction.atomic
def _order_payment_failed(*, order: Order, message: str) -> Order:
    order = order_set_status(order=order, to=Order.Status.PAYMENT_FAILED, note=message)
    restock(order)
    if order.code:
        code_book().release(shop_id=order.shop_id, code=order.code)
    return order
