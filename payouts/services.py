"""Every write of the payouts app: where money is owed and paid.

Rules (DESIGN.md, "The money flow"): one commission per attributed order line, amount
= round(net x rate) once, half-up, to the currency's minor unit; pending for the hold
period, then approved by a daily task with a credit to the append-only ledger; refunds
shrink a pending commission or claw back an approved one; a monthly run pays every
balance that reaches the minimum, once per (creator, period, currency) by constraint.
Work over many rows is set-based: aggregates, bulk inserts and single UPDATEs.
"""

import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from affiliates.models import AffiliateProgram, Creator
from affiliates.rates import RateQuestion, rates_for
from common.money import format_money, money_round, money_sum
from shops.models import Order, OrderLine, Refund, RefundLine
from tracking.models import Conversion
from tracking.rollups import Increment, rollup_add

from . import emails, selectors
from .bulk import insert_commissions, insert_events
from .models import Commission, CommissionEvent, EarlyPayoutRequest, LedgerEntry, Payout, PayoutRun

logger = logging.getLogger(__name__)


def sources(model, to: str) -> list[str]:
    """The statuses a row may leave for `to`, read from the model's TRANSITIONS table.
    Bulk moves filter on these, so they follow the table just as single moves do."""
    return [start for start, targets in model.TRANSITIONS.items() if to in targets]


def check_move(obj, to: str) -> None:
    """Refuse a single move its model's TRANSITIONS table does not allow."""
    if to not in type(obj).TRANSITIONS.get(obj.status, set()):
        raise ValidationError(f"{obj} is {obj.get_status_display().lower()}; "
                              f"it cannot become {type(obj).Status(to).label.lower()}.")


def commission_amount(*, base: Decimal, rate: Decimal, currency: str) -> Decimal:
    """The one commission formula: base x rate %, rounded once, half-up, to the minor unit."""
    return money_round(base * rate / Decimal(100), currency)


def payout_minimum(currency: str) -> Decimal:
    return Decimal(str(settings.PAYOUT_MINIMUM_BY_CURRENCY.get(currency, settings.PAYOUT_MINIMUM)))


def _by(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _skip_locked() -> dict:
    return {"skip_locked": True} if connection.features.has_select_for_update_skip_locked else {}


# --------------------------------------------------------------------------------------
# Commissions
# --------------------------------------------------------------------------------------


def _lock_orders(order_ids) -> list[int]:
    """Lock the orders' rows in id order (as payment, attribution and refunds lock them):
    whatever of theirs is in flight commits first, so what is read next is final."""
    return list(Order.objects.select_for_update().filter(pk__in=list(order_ids)).order_by("pk")
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
        Conversion.objects.filter(order_id__in=order_ids, outcome=Conversion.Outcome.ATTRIBUTED,
                                  order__status__in=Order.PAID_STATUSES)
        .values("order_id", "creator_id", "link_id", "link_created_at", "order__shop_id", "order__placed_at",
                "order__paid_at", "order__currency")
    }
    if not conversions:
        return 0
    lines = list(OrderLine.objects.filter(order_id__in=conversions, commission__isnull=True)
                 .values_list("pk", "order_id", "product_id", "net_amount"))
    if not lines:
        return 0
    refunded = _refunded_net(line_ids=[line[0] for line in lines])
    hold_days = dict(AffiliateProgram.objects.filter(shop_id__in={c["order__shop_id"] for c in conversions.values()})
                     .values_list("shop_id", "hold_days"))
    questions = [
        RateQuestion(creator_id=conversions[order_id]["creator_id"], product_id=product_id,
                     shop_id=conversions[order_id]["order__shop_id"], at=conversions[order_id]["order__placed_at"],
                     link_since=conversions[order_id]["link_created_at"])
        for _, order_id, product_id, _ in lines
    ]
    now = timezone.now()
    batch = uuid.uuid4()
    held = set(Order.objects.filter(pk__in=conversions, under_review=True).values_list("pk", flat=True))
    rows = []
    for (line_id, order_id, _, base), question, quote in zip(lines, questions, rates_for(questions), strict=True):
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
            "amount": commission_amount(base=base - refunded_base, rate=quote.rate, currency=currency),
            "clawed_back": Decimal(0),
            "status": (Commission.Status.REVERSED if refunded_base == base else
                       Commission.Status.FROZEN if order_id in held else Commission.Status.PENDING),
            "hold_until": (conversion["order__paid_at"] or now) + timedelta(days=hold_days.get(question.shop_id, 30)),
            "created_at": now, "batch": batch,
        })
    # Only what this call created counts: a parallel call's rows are not returned.
    mine = insert_commissions(rows)
    insert_events([{"commission_id": c["pk"], "from_status": "", "to_status": c["status"],
                    "amount_change": c["amount"], "reason": "Computed from the attributed order", "at": now}
                   for c in mine])
    rollup_add(Increment(day=conversions[c["order_id"]]["order__placed_at"].date(), link_id=c["link_id"],
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
            CommissionEvent.objects.bulk_create(
                [CommissionEvent(commission_id=pk, from_status=status, to_status=Commission.Status.APPROVED,
                                 reason="Hold period over", at=now)
                 for pk, *_, status in due], batch_size=5000)
        approved += len(due)
        logger.info("approved %s commissions", len(due))


def _event(commission: Commission, *, to: str, change: Decimal = Decimal(0), reason: str, by=None,
           from_status: str | None = None) -> None:
    CommissionEvent.objects.create(commission=commission, from_status=from_status or commission.status, to_status=to,
                                   amount_change=change, reason=reason[:500], by=_by(by), at=timezone.now())


def _refunded_net(*, line_ids) -> dict[int, Decimal]:
    """Per order line, the net amount of its refunds the payment provider confirmed."""
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
    from_status = commission.status
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
    commission.refunded_base = new_refunded_base
    if reversed_fully:
        commission.status = Commission.Status.REVERSED
    commission.save(update_fields=["amount", "clawed_back", "refunded_base", "status"])
    _event(commission, from_status=from_status, to=commission.status, change=change, reason=reason, by=by)
    if change:
        rollup_add([Increment(day=commission.order.placed_at.date(), link_id=commission.link_id,
                              values={"commission": change})])
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
    frozen = 0
    movable = sources(Commission, Commission.Status.FROZEN)
    for commission in Commission.objects.select_for_update().filter(order=order, status__in=movable):
        _event(commission, to=Commission.Status.FROZEN, reason=reason, by=by)
        frozen += 1
    Commission.objects.filter(order=order, status__in=movable).update(status=Commission.Status.FROZEN)
    return frozen


@transaction.atomic
def commissions_release_for_order(*, order: Order, by, reason: str = "Review passed") -> int:
    released = 0
    movable = sources(Commission, Commission.Status.PENDING)
    for commission in Commission.objects.select_for_update().filter(order=order, status__in=movable):
        _event(commission, to=Commission.Status.PENDING, reason=reason, by=by)
        released += 1
    Commission.objects.filter(order=order, status__in=movable).update(status=Commission.Status.PENDING)
    return released


# --------------------------------------------------------------------------------------
# Ledger
# --------------------------------------------------------------------------------------


@transaction.atomic
def ledger_adjust(*, creator: Creator, currency: str, amount: Decimal, reason: str, by) -> LedgerEntry:
    """Finance corrects a balance with a new entry (never an edit), with a reason."""
    if not reason.strip():
        raise ValidationError("Give the reason for the adjustment.")
    if money_round(amount, currency) != amount or amount == 0:
        raise ValidationError(f"Enter a non-zero amount in {currency} with at most its minor unit.")
    entry = LedgerEntry.objects.create(creator=creator, currency=currency, kind=LedgerEntry.Kind.ADJUSTMENT,
                                       amount=amount, note=reason.strip()[:500], created_by=_by(by),
                                       created_at=timezone.now())
    logger.info("ledger adjustment %s %s for creator %s by user %s", amount, currency, creator.pk, by.pk)
    return entry


# --------------------------------------------------------------------------------------
# Payout runs
# --------------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(day: date) -> date:
    return month_start(month_start(day) - timedelta(days=1))


@transaction.atomic
def payout_run_start(*, period: date, by=None) -> tuple[PayoutRun, bool]:
    """Start the run for a month (or find it: one run per month). The computation follows in a task."""
    period = month_start(period)
    cutoff = datetime.combine(next_month(period), datetime.min.time(), tzinfo=UTC)
    if cutoff > timezone.now():
        raise ValidationError(f"{period:%B %Y} is not over yet; its run can start on {cutoff:%Y-%m-%d}.")
    run, created = PayoutRun.objects.get_or_create(
        period=period, defaults={"cutoff": cutoff, "started_at": timezone.now(), "started_by": _by(by)})
    if created:
        from . import tasks

        transaction.on_commit(lambda: tasks.compute_payout_run.delay(run.pk))
        logger.info("payout run %s started by user %s", period, getattr(by, "pk", None))
    return run, created


def payout_run_compute(*, run: PayoutRun, chunk: int = 2000) -> PayoutRun:
    """Make one payout per creator and currency whose balance before the cutoff reaches the
    minimum, and debit it from the ledger. Chunks commit one by one (progress shows in the
    admin); a rerun after a crash skips what exists, so nobody is paid twice.

    A payout never exceeds what is unpaid now (this run's own debits aside): money paid
    since the cutoff, by an early payout approved before the run, is not paid again, and
    a clawback that came in meanwhile is netted rather than left as a negative balance.
    """
    run = PayoutRun.objects.get(pk=run.pk)
    if run.status != PayoutRun.Status.COMPUTING:
        return run
    before_cutoff = Q(created_at__lt=run.cutoff)
    rows = list(
        LedgerEntry.objects.values("creator_id", "currency")
        .annotate(before=Sum("amount", filter=before_cutoff), last=Max("id", filter=before_cutoff),
                  unpaid=Sum("amount", filter=~Q(payout_id__in=Payout.objects.filter(run=run).values("pk"))))
        .filter(before__isnull=False).order_by("creator_id", "currency")
    )
    for row in rows:
        row["balance"] = min(money_sum(row["before"], row["currency"]), money_sum(row["unpaid"], row["currency"]))
    due = [row for row in rows if row["balance"] >= payout_minimum(row["currency"])]
    PayoutRun.objects.filter(pk=run.pk).update(total=len(due), done=0)
    for start in range(0, len(due), chunk):
        part = due[start:start + chunk]
        with transaction.atomic():
            now = timezone.now()
            Payout.objects.bulk_create(
                [Payout(run=run, kind=Payout.Kind.MONTHLY, creator_id=row["creator_id"], period=run.period,
                        currency=row["currency"], amount=row["balance"], covers_through=row["last"], created_at=now)
                 for row in part], ignore_conflicts=True, batch_size=5000)
            debited = LedgerEntry.objects.filter(payout=OuterRef("pk"), kind=LedgerEntry.Kind.PAYOUT)
            undebited = (Payout.objects.filter(run=run, creator_id__in={row["creator_id"] for row in part})
                         .exclude(Exists(debited)).values_list("pk", "creator_id", "currency", "amount"))
            LedgerEntry.objects.bulk_create(
                [LedgerEntry(creator_id=creator_id, currency=currency, kind=LedgerEntry.Kind.PAYOUT, amount=-amount,
                             payout_id=pk, created_at=now, note=f"Payout for {run.period:%Y-%m}")
                 for pk, creator_id, currency, amount in undebited], ignore_conflicts=True, batch_size=5000)
            PayoutRun.objects.filter(pk=run.pk).update(done=F("done") + len(part))
    with transaction.atomic():
        PayoutRun.objects.filter(pk=run.pk, status__in=sources(PayoutRun, PayoutRun.Status.READY)).update(
            status=PayoutRun.Status.READY, computed_at=timezone.now())
    run.refresh_from_db()
    logger.info("payout run %s computed: %s payouts", run.period, run.total)
    return run


@transaction.atomic
def payout_run_approve(*, run: PayoutRun, by) -> PayoutRun:
    """Finance approves a computed run; then it can be exported and paid."""
    run = PayoutRun.objects.select_for_update().get(pk=run.pk)
    check_move(run, PayoutRun.Status.APPROVED)
    run.status, run.approved_at, run.approved_by = PayoutRun.Status.APPROVED, timezone.now(), _by(by)
    run._change_reason = "Approved by finance"
    run.save(update_fields=["status", "approved_at", "approved_by"])
    logger.info("payout run %s approved by user %s", run.period, by.pk)
    return run


def _commissions_paid_by(payouts, *, by) -> int:
    """Approved commissions credited at or before each paid payout's last entry become paid,
    each with its audit event."""
    credit = LedgerEntry.objects.filter(commission=OuterRef("pk"), kind=LedgerEntry.Kind.COMMISSION).values("id")[:1]
    covering = Payout.objects.filter(pk__in=[p.pk for p in payouts], creator=OuterRef("creator"),
                                     currency=OuterRef("currency"), covers_through__gte=OuterRef("credit_id"))
    paid_from = sources(Commission, Commission.Status.PAID)
    ids = list(Commission.objects.filter(status__in=paid_from, creator__in={p.creator_id for p in payouts})
               .annotate(credit_id=Subquery(credit)).filter(Exists(covering)).values_list("pk", flat=True))
    Commission.objects.filter(pk__in=ids).update(status=Commission.Status.PAID)
    now = timezone.now()
    CommissionEvent.objects.bulk_create(
        [CommissionEvent(commission_id=pk, from_status=paid_from[0], to_status=Commission.Status.PAID,
                         reason="Paid out", by=_by(by), at=now) for pk in ids], batch_size=5000)
    return len(ids)


def _close_run_when_settled(run_id: int) -> None:
    """A run is paid once none of its payouts waits any more (each is paid or failed)."""
    if not Payout.objects.filter(run_id=run_id, status=Payout.Status.PENDING).exists():
        PayoutRun.objects.filter(pk=run_id, status__in=sources(PayoutRun, PayoutRun.Status.PAID)).update(
            status=PayoutRun.Status.PAID)


@transaction.atomic
def payouts_mark_paid(*, payouts: Iterable[Payout], by, reference: str = "") -> int:
    """The payment provider paid them: payouts and the commissions they cover become paid."""
    reference = reference.strip()
    if len(reference) > Payout._meta.get_field("reference").max_length:
        raise ValidationError("A payment reference has at most 100 characters.")
    payouts = list(Payout.objects.select_for_update(of=("self",)).filter(pk__in=[p.pk for p in payouts])
                   .select_related("run", "creator__user"))
    for payout in payouts:
        check_move(payout, Payout.Status.PAID)
        if payout.run is not None and payout.run.status != PayoutRun.Status.APPROVED:
            raise ValidationError(f"The run of {payout} is not approved yet.")
    now = timezone.now()
    for payout in payouts:  # one save per payout so each keeps its history row (who, reference)
        payout.status, payout.paid_at, payout.reference = Payout.Status.PAID, now, reference
        payout._change_reason = f"Paid, reference {reference}"
        payout._history_user = _by(by)
        payout.save(update_fields=["status", "paid_at", "reference"])
        emails.payout_paid(payout)
    _commissions_paid_by(payouts, by=by)
    for run_id in {p.run_id for p in payouts if p.run_id}:
        _close_run_when_settled(run_id)
    for payout in payouts:
        logger.info("payout %s paid: %s %s by user %s", payout.pk, payout.amount, payout.currency, by.pk)
    return len(payouts)


@transaction.atomic
def payout_mark_failed(*, payout: Payout, by, reason: str) -> Payout:
    """The provider could not pay: the amount goes back to the creator's balance."""
    if not reason.strip():
        raise ValidationError("Give the reason the payment failed.")
    payout = Payout.objects.select_for_update().get(pk=payout.pk)
    check_move(payout, Payout.Status.FAILED)
    payout.status, payout.failure_reason = Payout.Status.FAILED, reason.strip()[:500]
    payout._change_reason = f"Failed: {payout.failure_reason}"
    payout.save(update_fields=["status", "failure_reason"])
    LedgerEntry.objects.create(creator_id=payout.creator_id, currency=payout.currency,
                               kind=LedgerEntry.Kind.PAYOUT_RETURNED, amount=payout.amount, payout=payout,
                               note=f"Payout failed: {payout.failure_reason}", created_by=_by(by),
                               created_at=timezone.now())
    if payout.run_id:
        _close_run_when_settled(payout.run_id)
    logger.info("payout %s failed: %s %s returned, by user %s", payout.pk, payout.amount, payout.currency, by.pk)
    return payout


# --------------------------------------------------------------------------------------
# Early payouts
# --------------------------------------------------------------------------------------


@transaction.atomic
def early_payout_request(*, creator: Creator, currency: str) -> EarlyPayoutRequest:
    balance = selectors.balances(creator=creator).get(currency, Decimal(0))
    minimum = payout_minimum(currency)
    if balance < minimum:
        raise ValidationError(f"Early payouts start at {format_money(minimum, currency)}; "
                              f"your balance is {format_money(balance, currency)}.")
    already = ValidationError("You already asked for an early payout in this currency; finance answers it soon.")
    if EarlyPayoutRequest.objects.filter(creator=creator, currency=currency,
                                         status=EarlyPayoutRequest.Status.REQUESTED).exists():
        raise already
    try:
        with transaction.atomic():
            return EarlyPayoutRequest.objects.create(creator=creator, currency=currency, requested_at=timezone.now())
    except IntegrityError:  # the same request, sent at the same moment, was first
        raise already from None


@transaction.atomic
def early_payout_approve(*, request: EarlyPayoutRequest, by) -> Payout:
    request = EarlyPayoutRequest.objects.select_for_update().get(pk=request.pk)
    check_move(request, EarlyPayoutRequest.Status.APPROVED)
    row = LedgerEntry.objects.filter(creator_id=request.creator_id, currency=request.currency).aggregate(
        balance=Sum("amount"), last=Max("id"))
    row["balance"] = money_sum(row["balance"], request.currency)
    if row["balance"] < payout_minimum(request.currency):
        raise ValidationError("The balance is below the minimum now; decline the request instead.")
    now = timezone.now()
    payout = Payout.objects.create(kind=Payout.Kind.EARLY, creator_id=request.creator_id,
                                   period=month_start(now.date()), currency=request.currency, amount=row["balance"],
                                   covers_through=row["last"], created_at=now)
    LedgerEntry.objects.create(creator_id=request.creator_id, currency=request.currency, kind=LedgerEntry.Kind.PAYOUT,
                               amount=-row["balance"], payout=payout, note="Early payout", created_by=_by(by),
                               created_at=now)
    request.status, request.payout, request.decided_at = EarlyPayoutRequest.Status.APPROVED, payout, now
    request.save(update_fields=["status", "payout", "decided_at"])
    logger.info("early payout %s approved: %s %s by user %s", payout.pk, payout.amount, payout.currency, by.pk)
    return payout


@transaction.atomic
def early_payout_decline(*, request: EarlyPayoutRequest, by, reason: str) -> EarlyPayoutRequest:
    if not reason.strip():
        raise ValidationError("Give the reason: the creator reads it.")
    request = EarlyPayoutRequest.objects.select_for_update().get(pk=request.pk)
    check_move(request, EarlyPayoutRequest.Status.DECLINED)
    request.status, request.decision_note, request.decided_at = (EarlyPayoutRequest.Status.DECLINED,
                                                                 reason.strip()[:500], timezone.now())
    request.save(update_fields=["status", "decision_note", "decided_at"])
    return request


# --------------------------------------------------------------------------------------
# Reconciliation
# --------------------------------------------------------------------------------------


@dataclass
class Reconciliation:
    currency: str
    credited: Decimal  # approved commissions
    clawed_back: Decimal
    adjusted: Decimal
    paid: Decimal  # payouts marked paid
    in_payment: Decimal  # payouts made, not yet paid
    balances: Decimal  # unpaid balances
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def reconcile() -> list[Reconciliation]:
    """Check, per currency, that approved commissions minus clawbacks (plus adjustments)
    equal paid payouts plus payouts in payment plus unpaid balances, and that each
    commission's ledger entries match it. Returns one report per currency."""
    kinds = defaultdict(lambda: defaultdict(Decimal))
    for row in LedgerEntry.objects.values("currency", "kind").annotate(total=Sum("amount")):
        kinds[row["currency"]][row["kind"]] = money_sum(row["total"], row["currency"])
    payouts = defaultdict(lambda: defaultdict(Decimal))
    for row in Payout.objects.values("currency", "status").annotate(total=Sum("amount")):
        payouts[row["currency"]][row["status"]] = money_sum(row["total"], row["currency"])
    reports = []
    for currency in sorted(set(kinds) | set(payouts)):
        k, p = kinds[currency], payouts[currency]
        credited = k[LedgerEntry.Kind.COMMISSION]
        clawed, adjusted = -k[LedgerEntry.Kind.CLAWBACK], k[LedgerEntry.Kind.ADJUSTMENT]
        balance = sum(k.values(), Decimal(0))
        report = Reconciliation(currency=currency, credited=credited, clawed_back=clawed, adjusted=adjusted,
                                paid=p[Payout.Status.PAID], in_payment=p[Payout.Status.PENDING], balances=balance,
                                problems=[])
        left = credited - clawed + adjusted
        right = report.paid + report.in_payment + balance
        if left != right:
            report.problems.append(f"commissions - clawbacks + adjustments = {left}, but payouts + balances = {right}")
        debits = -(k[LedgerEntry.Kind.PAYOUT]) - k[LedgerEntry.Kind.PAYOUT_RETURNED]
        if debits != report.paid + report.in_payment:
            report.problems.append(f"payout debits {debits} differ from payouts made {report.paid + report.in_payment}")
        reports.append(report)
    # Per commission: what the ledger holds for it equals what it is worth now.
    credits = Sum("ledger_entries__amount", filter=Q(ledger_entries__kind__in=[LedgerEntry.Kind.COMMISSION,
                                                                              LedgerEntry.Kind.CLAWBACK]))
    wrong = (Commission.objects.filter(status__in=[Commission.Status.APPROVED, Commission.Status.PAID,
                                                   Commission.Status.REVERSED], approved_at__isnull=False)
             .annotate(held=credits).exclude(held=F("amount") - F("clawed_back")).values_list("pk", "currency")[:20])
    for pk, currency in wrong:
        for report in reports:
            if report.currency == currency:
                report.problems.append(f"commission {pk}: ledger entries differ from its amount")
    return reports
