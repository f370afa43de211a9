"""Commissions: computed once per attributed, paid order line; held, then approved with a
credit to the ledger; reduced by refunds (or clawed back once approved); frozen while
their order is under fraud review; reversed by finance. Work over many rows is set-based."""

import logging
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from affiliates.models import AffiliateProgram
from affiliates.rates import RateQuestion, rates_for
from common.transitions import record, record_many, sources, transition
from shops.models import Order, OrderLine, Refund, RefundLine
from tracking.models import Conversion
from tracking.rollups import Increment, rollup_add

from .. import signals
from ..bulk import insert_commissions
from ..models import Commission, LedgerEntry
from ..rules import commission_amount

logger = logging.getLogger(__name__)


def _by(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _skip_locked() -> dict:
    return {"skip_locked": True} if connection.features.has_select_for_update_skip_locked else {}


def _lock_orders(order_ids) -> list[int]:
    """Lock the orders' rows in id order (as payment, attribution and refunds lock them):
    whatever of theirs is in flight commits first, so what is read next is final."""
    return list(Order.objects.select_for_update().filter(pk__any_of=list(order_ids)).order_by("pk")
                .values_list("pk", flat=True))


@transaction.atomic
def commissions_create_for_orders(*, order_ids: Iterable[int]) -> int:
    """One commission per line of each attributed, paid order; lines that have one keep it.

    Safe to call twice or concurrently (a unique constraint per order line), and cheap
    for many orders: a handful of queries for the whole batch. Returns how many were made.

    The orders' rows are locked first (in id order, as everyone locks them): a payment,
    attribution or refund of these orders still in flight commits before anything here
    is read, so what is read is their final state.
    """
    order_ids = _lock_orders(order_ids)
    conversions = {
        c["order_id"]: c for c in
        Conversion.objects.filter(order_id__any_of=order_ids, outcome=Conversion.Outcome.ATTRIBUTED,
                                  order__status__in=Order.PAID_STATUSES)
        .values("order_id", "creator_id", "link_id", "link_created_at", "content_id", "order__shop_id",
                "order__placed_at", "order__paid_at", "order__currency", "order__under_review")
    }
    if not conversions:
        return 0
    lines = list(OrderLine.objects.filter(order_id__any_of=list(conversions), commission__isnull=True)
                 .values_list("pk", "order_id", "product_id", "net_amount", "refunded_quantity"))
    if not lines:
        return 0
    # Only a line with units refunded (or being refunded) can have a confirmed refund.
    refunded = _refunded_net(line_ids=[line[0] for line in lines if line[4]])
    hold_days = dict(AffiliateProgram.objects.filter(shop_id__in={c["order__shop_id"] for c in conversions.values()})
                     .values_list("shop_id", "hold_days"))
    questions = [
        RateQuestion(creator_id=conversions[order_id]["creator_id"], product_id=product_id,
                     shop_id=conversions[order_id]["order__shop_id"], at=conversions[order_id]["order__placed_at"],
                     link_since=conversions[order_id]["link_created_at"])
        for _, order_id, product_id, _, _ in lines
    ]
    now = timezone.now()
    batch = uuid.uuid4()
    held = {order_id for order_id, conversion in conversions.items() if conversion["order__under_review"]}
    rows = []
    for (line_id, order_id, _, base, _), question, quote in zip(lines, questions, rates_for(questions), strict=True):
        if quote is None:
            continue  # the shop left the program before the order: nothing is owed
        conversion = conversions[order_id]
        currency = conversion["order__currency"]
        refunded_base = min(refunded.get(line_id) or Decimal(0), base)
        rows.append({
            "order_line_id": line_id, "order_id": order_id, "shop_id": question.shop_id,
            "creator_id": question.creator_id, "link_id": conversion["link_id"], "currency": currency,
            "base": base, "refunded_base": refunded_base, "rate": quote.rate, "rate_source": quote.source,
            "rate_reason": quote.reason[:200],
            "protected_until": quote.pending_cut.applies_at if quote.pending_cut else None,
            "amount": commission_amount(base=base - refunded_base, rate=quote.rate, currency=currency),
            "clawed_back": Decimal(0),
            "status": (Commission.Status.REVERSED if refunded_base == base else
                       Commission.Status.FROZEN if order_id in held else Commission.Status.PENDING),
            "hold_until": (conversion["order__paid_at"] or now) + timedelta(days=hold_days.get(question.shop_id, 30)),
            "created_at": now, "batch": batch,
        })
    # Only what this call created counts: a parallel call's rows are not returned.
    mine = insert_commissions(rows, reason="Computed from the attributed order")
    made_ids = [c["pk"] for c in mine]
    if made_ids:
        transaction.on_commit(lambda: signals.commissions_created.send(sender=Commission, ids=made_ids))
    rollup_add(Increment(day=conversions[c["order_id"]]["order__placed_at"].date(), link_id=c["link_id"],
                         content_id=conversions[c["order_id"]]["content_id"],
                         values={"commission": c["amount"]}) for c in mine)
    return len(mine)


def commissions_sweep(*, older_than: timedelta = timedelta(minutes=10)) -> int:
    """Paid attributed orders whose commissions never came (a lost enqueue): make them now."""
    cutoff = timezone.now() - older_than
    missing = (
        Conversion.objects.filter(outcome=Conversion.Outcome.ATTRIBUTED, order__status__in=Order.PAID_STATUSES,
                                  order__paid_at__lte=cutoff)
        .filter(Exists(OrderLine.objects.filter(order_id=OuterRef("order_id"), commission__isnull=True)))
        .values_list("order_id", flat=True)
    )
    made = 0
    ids = list(missing[:20_000])
    for start in range(0, len(ids), 2000):
        made += commissions_create_for_orders(order_ids=ids[start:start + 2000])
    if made:
        logger.warning("sweeper made %s commissions that were never computed", made)
    return made


def commissions_approve_due(*, now: datetime | None = None, chunk: int = 10_000) -> int:
    """Daily: approve pending commissions past their hold, crediting the ledger. Set-based,
    in chunks of one transaction each; frozen commissions wait. Returns how many."""
    now = now or timezone.now()
    approved = 0
    while True:
        with transaction.atomic():
            due = list(Commission.objects.select_for_update(**_skip_locked())
                       .filter(status__in=sources(Commission, Commission.Status.APPROVED), hold_until__lte=now)
                       .values_list("pk", "creator_id", "currency", "amount", "status")[:chunk])
            if not due:
                return approved
            ids = [row[0] for row in due]
            Commission.objects.filter(pk__in=ids).update(status=Commission.Status.APPROVED, approved_at=now)
            LedgerEntry.objects.bulk_create(
                [LedgerEntry(creator_id=creator_id, currency=currency, kind=LedgerEntry.Kind.COMMISSION,
                             amount=amount, commission_id=pk, created_at=now, note="Hold period over")
                 for pk, creator_id, currency, amount, _ in due], batch_size=5000)
            record_many(Commission, [{"object_id": pk, "from_status": status, "to_status": Commission.Status.APPROVED,
                                      "reason": "Hold period over", "at": now} for pk, *_, status in due])
            transaction.on_commit(lambda ids=ids: signals.commissions_approved.send(sender=Commission, ids=ids))
        approved += len(due)
        logger.info("approved %s commissions", len(due))


def _refunded_net(*, line_ids) -> dict[int, Decimal]:
    """Per order line, the net amount of its refunds the payment provider confirmed."""
    if not line_ids:
        return {}
    return dict(RefundLine.objects.filter(line_id__in=list(line_ids), refund__status=Refund.Status.SUCCEEDED)
                .values("line_id").annotate(net=Sum("net_amount")).values_list("line_id", "net"))


def _take_back(commission: Commission, *, new_refunded_base: Decimal, reason: str, by=None) -> Decimal:
    """Lower a commission to what the unrefunded base earns. Pending or frozen: the amount
    shrinks. Approved or paid: a clawback debit goes to the ledger. Returns the change
    (nothing when the commission already stands at that refunded base)."""
    new_refunded_base = min(new_refunded_base, commission.base)
    if commission.status == Commission.Status.REVERSED or new_refunded_base == commission.refunded_base:
        return Decimal(0)
    owed = commission_amount(base=commission.base - new_refunded_base, rate=commission.rate,
                             currency=commission.currency)
    reversed_fully = new_refunded_base == commission.base
    if commission.status in (Commission.Status.PENDING, Commission.Status.FROZEN):
        change = owed - commission.amount
        commission.amount = owed
    else:
        change = owed - (commission.amount - commission.clawed_back)
        if change:
            commission.clawed_back -= change
            LedgerEntry.objects.create(creator_id=commission.creator_id, currency=commission.currency,
                                       kind=LedgerEntry.Kind.CLAWBACK, amount=change, commission=commission,
                                       note=reason[:500], created_by=_by(by), created_at=timezone.now())
    fields = {"amount": commission.amount, "clawed_back": commission.clawed_back, "refunded_base": new_refunded_base}
    if reversed_fully:
        transition(commission, to=Commission.Status.REVERSED, by=by, reason=reason, amount_change=change, **fields)
    else:
        for name, value in fields.items():
            setattr(commission, name, value)
        commission.save(update_fields=list(fields))
        record(commission, by=by, reason=reason, amount_change=change)
    if change:
        content_id = (Conversion.objects.filter(order_id=commission.order_id)
                      .values_list("content_id", flat=True).first())
        rollup_add([Increment(day=commission.order.placed_at.date(), link_id=commission.link_id,
                              content_id=content_id, values={"commission": change})])
    return change


@transaction.atomic
def commissions_apply_refund(*, refund_line_ids: Iterable[int], by=None) -> Decimal:
    """Some of an order's lines were refunded: lower their commissions to what the
    unrefunded part earns. Returns the total change.

    Absolute, not incremental: each commission's refunded base becomes the sum of its
    line's confirmed refunds. Applying a refund twice, or to a commission computed after
    the refund (which counted it already), changes nothing. The orders' rows are locked
    first, as the computation locks them, so the two never miss each other.
    """
    total = Decimal(0)
    refund_lines = list(RefundLine.objects.filter(pk__in=list(refund_line_ids)).select_related("refund"))
    line_ids = {r.line_id for r in refund_lines}
    _lock_orders(OrderLine.objects.filter(pk__in=line_ids).values_list("order_id", flat=True))
    refunded = _refunded_net(line_ids=line_ids)
    reasons = {r.line_id: r.refund.reason for r in sorted(refund_lines, key=lambda r: r.pk)}
    for commission in (Commission.objects.select_for_update().select_related("order")
                       .filter(order_line_id__in=line_ids).order_by("pk")):
        total += _take_back(commission, new_refunded_base=refunded.get(commission.order_line_id, Decimal(0)),
                            reason=f"Refund: {reasons[commission.order_line_id]}", by=by)
    return total


@transaction.atomic
def commissions_apply_cancellation(*, order: Order) -> Decimal:
    """A paid order was cancelled: every commission on it is reversed (clawed back if approved)."""
    total = Decimal(0)
    _lock_orders([order.pk])
    for commission in Commission.objects.select_for_update().select_related("order").filter(order=order):
        total += _take_back(commission, new_refunded_base=commission.base, reason="Order cancelled")
    return total


@transaction.atomic
def commission_reverse(*, commission: Commission, by, reason: str) -> Commission:
    """Finance reverses a commission by hand: nothing more is owed; money already credited is clawed back."""
    if not reason.strip():
        raise ValidationError("Give the reason for the reversal: it is kept in the audit trail.")
    commission = Commission.objects.select_for_update().select_related("order").get(pk=commission.pk)
    if commission.status == Commission.Status.REVERSED:
        raise ValidationError("This commission is already reversed.")
    _take_back(commission, new_refunded_base=commission.base, reason=f"Reversed by staff: {reason.strip()}", by=by)
    logger.info("commission %s reversed by user %s", commission.pk, getattr(by, "pk", None))
    return commission


@transaction.atomic
def commissions_freeze_for_order(*, order: Order, by, reason: str = "Order under review") -> int:
    """Order under fraud review: its pending commissions stop (no approval) until released."""
    movable = Commission.objects.filter(order=order, status__in=sources(Commission, Commission.Status.FROZEN))
    return len([transition(commission, to=Commission.Status.FROZEN, by=by, reason=reason)
                for commission in movable.order_by("pk")])


@transaction.atomic
def commissions_release_for_order(*, order: Order, by, reason: str = "Review passed") -> int:
    """Order released from fraud review: its frozen commissions are pending again, the hold running as before."""
    movable = Commission.objects.filter(order=order, status__in=sources(Commission, Commission.Status.PENDING))
    return len([transition(commission, to=Commission.Status.PENDING, by=by, reason=reason)
                for commission in movable.order_by("pk")])
