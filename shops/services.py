"""Every write of the shops app. Keyword-only, typed, atomic, named <thing>_<verb>.

Status changes go through one function per model (`shop_set_status`,
`product_set_status`, `order_set_status`) that checks the move against the model's
TRANSITIONS table and records it. Signals to other apps go out after commit.
"""

import logging
import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from common.images import clean_image
from common.money import format_money, minor_unit_error, money_round

from . import emails, signals
from .models import (
    Order,
    OrderEvent,
    OrderLine,
    Product,
    ProductImage,
    Refund,
    RefundLine,
    Shop,
    ShopDailyStats,
    ShopMembership,
)
from .payments import GatewayUnavailable, get_gateway
from .pricing import quote

logger = logging.getLogger(__name__)

User = AbstractBaseUser


def _actor(user: User | None):
    return user if user is not None and user.is_authenticated else None


# --------------------------------------------------------------------------------------
# Sellers and shops
# --------------------------------------------------------------------------------------


@transaction.atomic
def seller_register(*, user: User) -> ShopMembership:
    """Give the user the seller role: a draft shop they own. Calling it again changes nothing."""
    membership = ShopMembership.objects.select_related("shop").filter(user=user).first()
    if membership is not None:
        return membership
    shop = Shop.objects.create(contact_email=getattr(user, "email", ""))
    return ShopMembership.objects.create(shop=shop, user=user, role=ShopMembership.Role.OWNER)


SHOP_PROFILE_FIELDS = (
    "name", "slug", "description", "logo", "legal_name", "country", "currency", "contact_email", "tax_id",
    "return_window_days", "shipping_fee", "tax_rate",
)


@transaction.atomic
def shop_update(*, shop: Shop, **fields) -> Shop:
    """Save the shop's profile. The currency is fixed once the shop has products."""
    unknown = set(fields) - set(SHOP_PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"not shop profile fields: {sorted(unknown)}")
    if "currency" in fields and fields["currency"] != shop.currency and shop.currency and shop.products.exists():
        raise ValidationError({"currency": "The currency cannot change once the shop has products."})
    if "logo" in fields:
        logo = fields.pop("logo")
        if logo is False:
            shop.logo = ""
        elif logo and logo != shop.logo:
            cleaned = clean_image(logo, name="logo")
            shop.logo.save(cleaned.thumbnail.name, cleaned.thumbnail, save=False)
    for field, value in fields.items():
        setattr(shop, field, value)
    shop.full_clean()
    shop.save()
    return shop


@transaction.atomic
def shop_set_status(*, shop: Shop, to: str, by: User | None = None, reason: str = "") -> Shop:
    """The only writer of Shop.status: checks the move and keeps the reason the seller reads."""
    shop = Shop.objects.select_for_update().get(pk=shop.pk)
    if to not in Shop.TRANSITIONS.get(shop.status, set()):
        raise ValidationError(
            f"A shop that is {shop.get_status_display().lower()} cannot become {Shop.Status(to).label.lower()}."
        )
    now = timezone.now()
    shop.status = to
    shop.status_reason = reason
    shop._change_reason = f"Status {to}" + (f": {reason}" if reason else "")  # kept in the history
    if to == Shop.Status.PENDING:
        shop.submitted_at = now
    else:
        shop.reviewed_at = now
    shop.save(update_fields=["status", "status_reason", "submitted_at", "reviewed_at", "updated_at"])
    logger.info("shop %s status -> %s by user %s", shop.pk, to, getattr(_actor(by), "pk", None))
    return shop


def shop_submit(*, shop: Shop, by: User) -> Shop:
    """Send a complete shop to staff for approval."""
    if shop.missing_for_review:
        raise ValidationError("Before sending your shop for approval, add " + ", ".join(shop.missing_for_review) + ".")
    return shop_set_status(shop=shop, to=Shop.Status.PENDING, by=by)


def shop_approve(*, shop: Shop, by: User) -> Shop:
    return shop_set_status(shop=shop, to=Shop.Status.ACTIVE, by=by)


def shop_reject(*, shop: Shop, by: User, reason: str) -> Shop:
    if not reason.strip():
        raise ValidationError("Say why the shop is rejected: the seller reads it.")
    return shop_set_status(shop=shop, to=Shop.Status.REJECTED, by=by, reason=reason.strip())


def shop_suspend(*, shop: Shop, by: User, reason: str) -> Shop:
    if not reason.strip():
        raise ValidationError("Say why the shop is suspended: the seller reads it.")
    return shop_set_status(shop=shop, to=Shop.Status.SUSPENDED, by=by, reason=reason.strip())


def shop_reinstate(*, shop: Shop, by: User) -> Shop:
    return shop_set_status(shop=shop, to=Shop.Status.ACTIVE, by=by)


# --------------------------------------------------------------------------------------
# Products
# --------------------------------------------------------------------------------------

PRODUCT_FIELDS = ("title", "description", "category", "kind", "price", "compare_at_price", "stock")


@transaction.atomic
def product_create(*, shop: Shop, images: Sequence = (), **fields) -> Product:
    """A new product starts as a draft of the seller's shop."""
    product = Product(shop=shop)
    _product_assign(product, fields)
    product.save()
    product_add_images(product=product, uploads=images)
    return product


@transaction.atomic
def product_update(*, product: Product, by: User | None = None, images: Sequence = (),
                   remove_image_ids: Iterable[int] = (), **fields) -> Product:
    """Save changes. Content edits (title, description, category, images) of a live
    product send it back to review; price and stock edits do not."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    before = {name: getattr(product, name) for name in Product.REVIEWED_FIELDS}
    _product_assign(product, fields)
    product.save()
    removed, _ = product.images.filter(pk__in=list(remove_image_ids)).delete()
    product_add_images(product=product, uploads=images)
    content_changed = removed or images or any(getattr(product, n) != v for n, v in before.items())
    if product.status == Product.Status.LIVE and content_changed:
        product_set_status(product=product, to=Product.Status.IN_REVIEW, by=by,
                           reason="Changed title, description, category or images.")
        product.refresh_from_db()
    return product


def _product_assign(product: Product, fields: dict) -> None:
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"not product fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(product, name, value)
    if product.kind == Product.Kind.SERVICE:
        product.stock = None
    elif product.stock is None:
        product.stock = 0
    for name in ("price", "compare_at_price"):
        error = minor_unit_error(getattr(product, name), product.shop.currency)
        if error:
            raise ValidationError({name: error})
    product.full_clean(exclude=["shop"])


def product_add_images(*, product: Product, uploads: Sequence) -> list[ProductImage]:
    """Validate, re-encode and attach pictures, at most Product.MAX_IMAGES per product."""
    if not uploads:
        return []
    existing = product.images.count()
    if existing + len(uploads) > Product.MAX_IMAGES:
        raise ValidationError(f"A product has at most {Product.MAX_IMAGES} images; it has {existing}.")
    cleaned = [clean_image(upload, name=f"product-{product.pk}") for upload in uploads]
    created = []
    for position, picture in enumerate(cleaned, start=existing):
        image = ProductImage(product=product, width=picture.width, height=picture.height, position=position)
        image.image.save(picture.image.name, picture.image, save=False)
        image.thumbnail.save(picture.thumbnail.name, picture.thumbnail, save=False)
        image.save()
        created.append(image)
    return created


@transaction.atomic
def product_set_status(*, product: Product, to: str, by: User | None = None, reason: str = "") -> Product:
    """The only writer of Product.status: checks the move and keeps the reason."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    if to not in Product.TRANSITIONS.get(product.status, set()):
        raise ValidationError(
            f"A product that is {product.get_status_display().lower()} "
            f"cannot become {Product.Status(to).label.lower()}."
        )
    now = timezone.now()
    product.status = to
    product.status_reason = reason
    product._change_reason = f"Status {to}" + (f": {reason}" if reason else "")  # kept in the history
    if to == Product.Status.IN_REVIEW:
        product.submitted_at = now
    if to == Product.Status.LIVE and product.published_at is None:
        product.published_at = now
    product.save(update_fields=["status", "status_reason", "submitted_at", "published_at", "updated_at"])
    logger.info("product %s status -> %s by user %s", product.pk, to, getattr(_actor(by), "pk", None))
    return product


def product_submit(*, product: Product, by: User) -> Product:
    """Send a draft or rejected product to staff review. It needs a picture and an active-able shop."""
    if not product.images.exists() and product.kind == Product.Kind.PHYSICAL:
        raise ValidationError("Add at least one picture before sending the product for review.")
    if not product.shop.currency:
        raise ValidationError("Complete your shop's profile (currency) before sending products for review.")
    return product_set_status(product=product, to=Product.Status.IN_REVIEW, by=by)


def product_approve(*, product: Product, by: User) -> Product:
    return product_set_status(product=product, to=Product.Status.LIVE, by=by)


def product_reject(*, product: Product, by: User, reason: str) -> Product:
    if not reason.strip():
        raise ValidationError("Say why the product is rejected: the seller reads it.")
    return product_set_status(product=product, to=Product.Status.REJECTED, by=by, reason=reason.strip())


def product_archive(*, product: Product, by: User) -> Product:
    return product_set_status(product=product, to=Product.Status.ARCHIVED, by=by)


def product_unarchive(*, product: Product, by: User) -> Product:
    return product_set_status(product=product, to=Product.Status.DRAFT, by=by)


# --------------------------------------------------------------------------------------
# Checkout and orders
# --------------------------------------------------------------------------------------


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


def _record(order: Order, *, to: str, from_status: str = "", by: User | None = None, note: str = "") -> None:
    OrderEvent.objects.create(order=order, from_status=from_status, to_status=to, note=note[:500],
                              by=_actor(by), at=timezone.now())


@transaction.atomic
def order_place(*, shop: Shop, items: dict[int, int], buyer: BuyerDetails, checkout_key: str,
                user: User | None = None, request=None) -> Order:
    """Create an order awaiting payment and reserve its stock, all or nothing.

    Prices are read from the database, never from the cart. Product rows are locked in
    primary-key order, so concurrent checkouts of the last unit queue up rather than
    deadlock, and exactly one of them gets it. A second submission of the same checkout
    form (same `checkout_key`) returns the first order instead of making another.
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

    priced = quote(shop=shop, items=[(product, items[product.pk]) for product in products])
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
                subtotal=priced.subtotal, discount=priced.discount, shipping=priced.shipping, tax=priced.tax,
                total=priced.total, placed_at=timezone.now(),
            )
    except IntegrityError:
        # The same form, submitted again while this one waited for the locks.
        return Order.objects.get(checkout_key=checkout_key)
    OrderLine.objects.bulk_create([
        OrderLine(order=order, product=line.product, title=line.product.title, kind=line.product.kind,
                  unit_price=line.unit_price, quantity=line.quantity, discount=line.discount,
                  net_amount=line.net_amount, tax=line.tax)
        for line in priced.lines
    ])
    for line in priced.lines:
        if line.product.stock is not None:
            Product.objects.filter(pk=line.product.pk).update(stock=F("stock") - line.quantity)
    _record(order, to=order.status, note="Order placed")
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


def shop_stats_add(*, shop_id: int, day, orders: int = 0, gmv: Decimal = Decimal("0")) -> None:
    """Add to a shop's daily rollup (one upsert)."""
    ShopDailyStats.objects.get_or_create(shop_id=shop_id, day=day)
    ShopDailyStats.objects.filter(shop_id=shop_id, day=day).update(orders=F("orders") + orders, gmv=F("gmv") + gmv)


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
    _restock(order)
    return order


def _restock(order: Order) -> None:
    for line in order.lines.select_related("product").order_by("product_id"):
        if line.product.stock is not None:
            Product.objects.filter(pk=line.product_id).update(stock=F("stock") + line.quantity)


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
    """The only writer of Order.status: checks the move, stamps the time, records who and
    why, and tells other apps after commit."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if to not in Order.TRANSITIONS.get(order.status, set()):
        raise ValidationError(
            f"An order that is {order.get_status_display().lower()} cannot become {Order.Status(to).label.lower()}."
        )
    from_status = order.status
    order.status = to
    fields = ["status"]
    stamp = _STATUS_TIMESTAMPS.get(to)
    if stamp:
        setattr(order, stamp, timezone.now())
        fields.append(stamp)
    order.save(update_fields=fields)
    _record(order, from_status=from_status, to=to, by=by, note=note)
    logger.info("order %s status %s -> %s by user %s", order.pk, from_status, to, getattr(_actor(by), "pk", None))
    signal = _STATUS_SIGNALS.get(to)
    if signal is not None:
        transaction.on_commit(lambda: signal.send(sender=Order, order=order))
    return order


def order_ship(*, order: Order, by: User, tracking_number: str) -> Order:
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
    return order_set_status(order=order, to=Order.Status.DELIVERED, by=by)


def order_cancel(*, order: Order, by: User, reason: str) -> Refund:
    """Cancel a paid order before it ships: the buyer gets everything back, the stock returns.

    The order becomes cancelled when the payment provider confirms the refund; if the
    provider refuses it, the order stays paid and the refund says why."""
    if not reason.strip():
        raise ValidationError("Say why the order is cancelled: the buyer reads it.")
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if Order.Status.CANCELLED not in Order.TRANSITIONS.get(order.status, set()):
            raise ValidationError(f"An order that is {order.get_status_display().lower()} cannot become cancelled.")
        lines = list(order.lines.all())
        if not any(line.refundable_quantity for line in lines):
            raise ValidationError("Everything on this order is refunded already, or being refunded.")
        refund = _refund_reserve(order=order, by=by, reason=f"Cancelled: {reason.strip()}", lines=lines,
                                 quantities={line.pk: line.refundable_quantity for line in lines}, cancels_order=True)
    return refund_send(refund=refund)


def order_refund(*, order: Order, by: User, quantities: dict[int, int], reason: str) -> Refund:
    """Refund some lines (or all of them) of a paid, shipped or delivered order.

    The buyer gets each line's share of net amount and tax back; shipping comes back
    with the last refunded item. Refunding everything makes the order refunded. The
    refund is recorded first, its lines reserved; the provider is called outside the
    transaction; then it is confirmed, or it fails and gives its lines back.
    """
    if not reason.strip():
        raise ValidationError("Say why you refund: the buyer reads it.")
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status not in Order.REFUNDABLE:
            raise ValidationError(f"An order that is {order.get_status_display().lower()} cannot be refunded.")
        lines = list(order.lines.all())
        quantities = {line_id: qty for line_id, qty in quantities.items() if qty}
        if not quantities:
            raise ValidationError("Choose at least one item to refund.")
        by_id = {line.pk: line for line in lines}
        for line_id, quantity in quantities.items():
            line = by_id.get(line_id)
            if line is None:
                raise ValidationError("That item is not part of this order.")
            if quantity < 0 or quantity > line.refundable_quantity:
                raise ValidationError(f"You can refund at most {line.refundable_quantity} of {line.title}.")
        refund = _refund_reserve(order=order, by=by, reason=reason.strip(), quantities=quantities, lines=lines)
    return refund_send(refund=refund)


def _refund_reserve(*, order: Order, by: User, reason: str, quantities: dict[int, int], lines: list[OrderLine],
                    cancels_order: bool = False) -> Refund:
    """Work out the amounts and write the refund down as pending, its lines reserved.
    Runs inside the caller's transaction, with the order's row locked."""
    currency = order.currency
    refund_lines = []
    for line in lines:
        quantity = quantities.get(line.pk, 0)
        if not quantity:
            continue
        if quantity == line.refundable_quantity:
            # The last units take what is left, so rounding never leaves a cent behind.
            already = line.refund_lines.exclude(refund__status=Refund.Status.FAILED)
            net = line.net_amount - sum((r.net_amount for r in already), Decimal("0"))
            tax = line.tax - sum((r.tax for r in already), Decimal("0"))
        else:
            net = money_round(line.net_amount * quantity / line.quantity, currency)
            tax = money_round(line.tax * quantity / line.quantity, currency)
        refund_lines.append(RefundLine(line=line, quantity=quantity, net_amount=net, tax=tax))
        line.refunded_quantity += quantity
        line.refunded_amount += net + tax
    amount = sum((r.net_amount + r.tax for r in refund_lines), Decimal("0"))
    if all(line.refundable_quantity == 0 for line in lines):
        amount += order.shipping
    refund = Refund.objects.create(order=order, amount=amount, reason=reason[:500], cancels_order=cancels_order,
                                   created_by=_actor(by), created_at=timezone.now())
    for refund_line in refund_lines:
        refund_line.refund = refund
    RefundLine.objects.bulk_create(refund_lines)
    OrderLine.objects.bulk_update([r.line for r in refund_lines], ["refunded_quantity", "refunded_amount"])
    Order.objects.filter(pk=order.pk).update(refunded_total=F("refunded_total") + amount)
    logger.info("order %s refund %s of %s %s recorded by user %s", order.pk, refund.pk, amount, currency,
                getattr(_actor(by), "pk", None))
    return refund


def refund_send(*, refund: Refund) -> Refund:
    """Ask the payment provider to pay a pending refund back, then confirm or fail it.

    Outside any transaction. Safe to call again for a refund still pending (the provider
    sees the same idempotency key): that is how a refund whose answer was lost is settled.
    A provider that does not answer leaves the refund pending for the next attempt.
    """
    if refund.status != Refund.Status.PENDING:
        return refund
    order = refund.order
    try:
        result = get_gateway().refund(reference=order.payment_reference, amount=refund.amount,
                                      currency=order.currency, idempotency_key=refund.idempotency_key)
    except GatewayUnavailable:
        logger.warning("refund %s: the payment provider did not answer; it stays pending", refund.pk)
        return refund
    if result.approved:
        return _refund_confirm(refund=refund, reference=result.reference)
    return _refund_fail(refund=refund, message=result.message or "The payment provider refused the refund.")


@transaction.atomic
def _refund_confirm(*, refund: Refund, reference: str) -> Refund:
    order = Order.objects.select_for_update().get(pk=refund.order_id)
    refund = Refund.objects.select_for_update().get(pk=refund.pk)
    if refund.status != Refund.Status.PENDING:
        return refund
    refund.status, refund.reference, refund.completed_at = Refund.Status.SUCCEEDED, reference[:64], timezone.now()
    refund.save(update_fields=["status", "reference", "completed_at"])
    refund_lines = list(refund.lines.select_related("line"))
    shop_stats_add(shop_id=order.shop_id, day=order.placed_at.date(),
                   gmv=-sum((r.net_amount for r in refund_lines), Decimal("0")))
    by, reason = refund.created_by, refund.reason
    fully_refunded = not order.lines.filter(refunded_quantity__lt=F("quantity")).exists()
    if refund.cancels_order and Order.Status.CANCELLED in Order.TRANSITIONS.get(order.status, set()):
        order = order_set_status(order=order, to=Order.Status.CANCELLED, by=by, note=reason)
        _restock(order)
    elif fully_refunded and Order.Status.REFUNDED in Order.TRANSITIONS.get(order.status, set()):
        order_set_status(order=order, to=Order.Status.REFUNDED, by=by, note=reason)
    else:
        _record(order, from_status=order.status, to=order.status, by=by,
                note=f"Refund {order.money('refunded_total')}: {reason}")
    if not refund.cancels_order:
        transaction.on_commit(lambda: signals.order_refunded.send(sender=Order, order=order, lines=refund_lines))
    logger.info("refund %s of order %s confirmed: %s", refund.pk, order.pk, reference)
    return refund


@transaction.atomic
def _refund_fail(*, refund: Refund, message: str) -> Refund:
    """The provider refused: the refund's lines and amount are free to refund again."""
    order = Order.objects.select_for_update().get(pk=refund.order_id)
    refund = Refund.objects.select_for_update().get(pk=refund.pk)
    if refund.status != Refund.Status.PENDING:
        return refund
    refund.status, refund.failure_reason, refund.completed_at = (Refund.Status.FAILED, message[:500],
                                                                 timezone.now())
    refund.save(update_fields=["status", "failure_reason", "completed_at"])
    for refund_line in refund.lines.all():
        OrderLine.objects.filter(pk=refund_line.line_id).update(
            refunded_quantity=F("refunded_quantity") - refund_line.quantity,
            refunded_amount=F("refunded_amount") - refund_line.net_amount - refund_line.tax)
    Order.objects.filter(pk=order.pk).update(refunded_total=F("refunded_total") - refund.amount)
    _record(order, from_status=order.status, to=order.status, by=refund.created_by,
            note=f"Refund of {format_money(refund.amount, order.currency)} failed: {message}")
    logger.warning("refund %s of order %s failed: %s", refund.pk, order.pk, message)
    return refund


def refunds_settle_pending(*, older_than: timedelta = timedelta(minutes=2)) -> int:
    """Periodic: ask the provider again about refunds still pending (its answer was lost,
    or it did not answer). Returns how many are settled now."""
    cutoff = timezone.now() - older_than
    settled = 0
    for refund in Refund.objects.filter(status=Refund.Status.PENDING, created_at__lte=cutoff).select_related("order"):
        settled += refund_send(refund=refund).status != Refund.Status.PENDING
    return settled


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
    note = ("Held for review: " if under_review else "Released from review: ") + reason.strip()
    _record(order, from_status=order.status, to=order.status, by=by, note=note)
    transaction.on_commit(lambda: signals.order_review_changed.send(
        sender=Order, order=order, under_review=under_review, by=by, reason=reason.strip()))
    return order


def order_hold_for_review(*, order: Order, by: User, reason: str) -> Order:
    return order_review_set(order=order, by=by, under_review=True, reason=reason)


def order_release_review(*, order: Order, by: User, reason: str) -> Order:
    return order_review_set(order=order, by=by, under_review=False, reason=reason)
