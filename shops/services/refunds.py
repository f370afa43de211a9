"""Refunds and cancellations: recorded as pending with their lines reserved, sent to the
payment provider outside any transaction, then confirmed or failed."""

import logging
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from common.money import format_money, money_round
from common.transitions import record, transition

from .. import signals
from ..models import Order, OrderLine, Refund, RefundLine
from ..payments import GatewayUnavailable, get_gateway
from .orders import order_set_status, restock, shop_stats_add

logger = logging.getLogger(__name__)
User = AbstractBaseUser


def _actor(user: User | None):
    return user if user is not None and user.is_authenticated else None


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
    refund = transition(refund, to=Refund.Status.SUCCEEDED, reference=reference[:64], completed_at=timezone.now())
    refund_lines = list(refund.lines.select_related("line"))
    shop_stats_add(shop_id=order.shop_id, day=order.placed_at.date(),
                   gmv=-sum((r.net_amount for r in refund_lines), Decimal("0")))
    by, reason = refund.created_by, refund.reason
    fully_refunded = not order.lines.filter(refunded_quantity__lt=F("quantity")).exists()
    if refund.cancels_order and Order.Status.CANCELLED in Order.TRANSITIONS.get(order.status, set()):
        order = order_set_status(order=order, to=Order.Status.CANCELLED, by=by, note=reason)
        restock(order)
    elif fully_refunded and Order.Status.REFUNDED in Order.TRANSITIONS.get(order.status, set()):
        order_set_status(order=order, to=Order.Status.REFUNDED, by=by, note=reason)
    else:
        record(order, by=by, reason=f"Refund {order.money('refunded_total')}: {reason}")
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
    refund = transition(refund, to=Refund.Status.FAILED, reason=message, failure_reason=message[:500],
                        completed_at=timezone.now())
    for refund_line in refund.lines.all():
        OrderLine.objects.filter(pk=refund_line.line_id).update(
            refunded_quantity=F("refunded_quantity") - refund_line.quantity,
            refunded_amount=F("refunded_amount") - refund_line.net_amount - refund_line.tax)
    Order.objects.filter(pk=order.pk).update(refunded_total=F("refunded_total") - refund.amount)
    record(order, by=refund.created_by,
           reason=f"Refund of {format_money(refund.amount, order.currency)} failed: {message}")
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
