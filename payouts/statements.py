"""Monthly statements: a creator's balance per currency, a shop's commissions owed.

Both are running accounts: what was owed when the month began, every movement in it,
what is owed when it ends. Opening + movements = closing, always, because all three are
sums of the same rows (ledger entries for creators; for shops, the commissions' audit
entries, whose amount_change records every amount a commission gained or lost).
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, F, Min, Sum

from affiliates.models import Creator
from affiliates.rates import Source
from common.models import AuditEntry
from common.money import money_cell, money_sum
from shops.models import Shop

from .models import Commission, LedgerEntry, Payout
from .months import month_bounds, month_start, next_month

ZERO = Decimal(0)


# --------------------------------------------------------------------------------------
# Creators
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Movement:
    entry: LedgerEntry
    balance: Decimal  # the running balance after this entry

    @property
    def description(self) -> str:
        entry = self.entry
        if entry.commission_id:
            commission = entry.commission
            what = f"{commission.order_line.title}, order {commission.order.number} at {commission.shop.name}"
            return what if entry.kind == LedgerEntry.Kind.COMMISSION else f"{what}: {entry.note}"
        if entry.payout_id:
            payout = entry.payout
            label = "early payout" if payout.kind == Payout.Kind.EARLY else f"the run for {payout.period:%B %Y}"
            return f"Payout #{payout.pk}, {label}" + (f": {entry.note}" if entry.kind == "payout_returned" else "")
        return entry.note


@dataclass
class CreatorStatement:
    creator: Creator
    currency: str
    month: date
    opening: Decimal
    movements: list[Movement]
    closing: Decimal
    by_kind: list[tuple[str, Decimal]] = field(default_factory=list)
    run_payout: Payout | None = None  # what the monthly run for this month paid

    @property
    def total_movements(self) -> Decimal:
        return sum((m.entry.amount for m in self.movements), ZERO)

    @property
    def is_over(self) -> bool:
        return month_bounds(self.month)[1] <= datetime.now(tz=UTC)

    @property
    def run_date(self) -> date:
        """The 1st of the next month, when the monthly run pays this month's balance."""
        return next_month(self.month)


def creator_statement(*, creator: Creator, currency: str, month: date) -> CreatorStatement:
    """The creator's account in one currency for one month: the balance it opened with,
    every ledger entry in the month with the balance after it, the balance it closed with,
    and the monthly run's payout for it (which pays the closing balance when that reaches
    the minimum; less, if money was paid or clawed back between the month's end and the run)."""
    start, end = month_bounds(month)
    entries = LedgerEntry.objects.filter(creator=creator, currency=currency)
    opening = money_sum(entries.filter(created_at__lt=start).aggregate(total=Sum("amount"))["total"], currency)
    movements, balance = [], opening
    for entry in (entries.filter(created_at__gte=start, created_at__lt=end)
                  .select_related("commission__order", "commission__order_line", "commission__shop", "payout")
                  .order_by("created_at", "pk")):
        balance += entry.amount
        movements.append(Movement(entry=entry, balance=balance))
    kinds = dict(LedgerEntry.Kind.choices)
    totals: dict[str, Decimal] = {}
    for movement in movements:
        totals[movement.entry.kind] = totals.get(movement.entry.kind, ZERO) + movement.entry.amount
    return CreatorStatement(
        creator=creator, currency=currency, month=month_start(month), opening=opening, movements=movements,
        closing=balance, by_kind=[(kinds[kind], totals[kind]) for kind in kinds if kind in totals],
        run_payout=Payout.objects.filter(creator=creator, currency=currency, period=month_start(month),
                                         kind=Payout.Kind.MONTHLY).first(),
    )


def creator_statement_periods(*, creator: Creator) -> list[tuple[date, str]]:
    """Every (month, currency) the creator has a statement for, newest first: from the
    month of their first entry in a currency up to this month."""
    firsts = (LedgerEntry.objects.filter(creator=creator).values("currency")
              .annotate(first=Min("created_at")).order_by("currency"))
    this_month = month_start(datetime.now(tz=UTC).date())
    periods = []
    for row in firsts:
        month = month_start(row["first"].astimezone(UTC).date())
        while month <= this_month:
            periods.append((month, row["currency"]))
            month = next_month(month)
    return sorted(periods, key=lambda period: (period[0], period[1]), reverse=True)


def creator_statement_rows(statement: CreatorStatement) -> list[list]:
    """The statement as CSV rows: opening and closing balances as rows of their own, with
    the amount empty, so the amount column sums to the month's movements."""
    currency, start = statement.currency, statement.month
    last_day = next_month(start) - timedelta(days=1)
    rows = [["date", "kind", "description", "amount", "balance", "currency"],
            [start, "opening balance", "", None, money_cell(statement.opening, currency), currency]]
    for movement in statement.movements:
        entry = movement.entry
        rows.append([entry.created_at, entry.get_kind_display(), movement.description,
                     money_cell(entry.amount, currency), money_cell(movement.balance, currency), currency])
    rows.append([last_day, "closing balance", "", None, money_cell(statement.closing, currency), currency])
    return rows


# --------------------------------------------------------------------------------------
# Sellers
# --------------------------------------------------------------------------------------


def _money_entries(shop: Shop):
    """The audit entries of the shop's commissions that changed an amount."""
    return AuditEntry.objects.filter(commission__shop=shop, amount_change__isnull=False)


def _paid_out(shop: Shop, *, start: datetime | None, end: datetime) -> Decimal:
    """What the shop's commissions were worth when they were paid out to creators, for
    those paid in [start, end): each commission's changes up to its payment."""
    paid = AuditEntry.objects.filter(commission__shop=shop, to_status=Commission.Status.PAID, at__lt=end).exclude(
        from_status=Commission.Status.PAID)
    if start is not None:
        paid = paid.filter(at__gte=start)
    paid_at = dict(paid.values_list("object_id", "at"))
    if not paid_at:
        return ZERO
    worth = ZERO
    for commission_id, at, change in (_money_entries(shop).filter(object_id__in=paid_at)
                                      .values_list("object_id", "at", "amount_change")):
        if at <= paid_at[commission_id]:
            worth += change
    return money_sum(worth, shop.currency)


def _owed_at(shop: Shop, moment: datetime) -> Decimal:
    """Commissions the shop owed at `moment`: everything computed, less reductions, less
    what was paid out to creators by then."""
    changes = _money_entries(shop).filter(at__lt=moment).aggregate(total=Sum("amount_change"))["total"]
    return money_sum(changes, shop.currency) - _paid_out(shop, start=None, end=moment)


def seller_statement(*, shop: Shop, month: date) -> dict:
    """A shop's month of affiliate commissions: owed when it began; computed in it (by
    creator and by product); reductions in it (refunds before or after approval,
    reversals), each as its own line; paid out to creators in it; owed when it ended.
    Opening + computed + reductions - paid out = closing."""
    start, end = month_bounds(month)
    entries = _money_entries(shop).filter(at__gte=start, at__lt=end)
    made = entries.filter(amount_change__gt=0)
    sums = {"orders": Count("commission__order", distinct=True), "gmv": Sum("commission__base"),
            "commission": Sum("amount_change")}
    reductions = (entries.filter(amount_change__lt=0).order_by("at", "pk")
                  .values("at", "reason", "amount_change", handle=F("commission__creator__handle"),
                          order_number=F("commission__order__number")))
    totals = made.aggregate(**sums)
    reduction_total = money_sum(entries.filter(amount_change__lt=0).aggregate(total=Sum("amount_change"))["total"],
                                shop.currency)
    computed = money_sum(totals["commission"], shop.currency)
    opening, paid_out = _owed_at(shop, start), _paid_out(shop, start=start, end=end)
    return {
        "by_creator": list(made.values(handle=F("commission__creator__handle")).annotate(**sums)
                           .order_by("-commission")),
        # A product's lines at different rates (a collaboration, its open rate) stay apart.
        "by_product": [{**row, "source_label": Source.LABELS.get(row["rate_source"], row["rate_source"])}
                       for row in made.values(title=F("commission__order_line__title"), rate=F("commission__rate"),
                                              rate_source=F("commission__rate_source"))
                       .annotate(**sums).order_by("-commission", "title")],
        "reductions": list(reductions),
        "totals": totals,
        "reduction_total": reduction_total,
        # What the month added to what the shop owes: computed less reductions.
        "owed": computed + reduction_total,
        "opening": opening,
        "paid_out": paid_out,
        "closing": opening + computed + reduction_total - paid_out,
    }
