"""Reads of the payouts app: a creator's earnings, a seller's monthly statement."""

from datetime import UTC, date, datetime
from decimal import Decimal

from django.db.models import Count, F, QuerySet, Sum

from affiliates.models import Creator
from shops.models import Shop

from .models import Commission, CommissionEvent, LedgerEntry, Payout
from .services import next_month


def earnings_summary(*, creator: Creator) -> dict[str, dict[str, Decimal]]:
    """Per currency: what is pending, approved (unpaid), paid and frozen now, and what
    refunds and reversals took off ("reversed")."""
    summary: dict[str, dict[str, Decimal]] = {}
    rows = (Commission.objects.filter(creator=creator).values("currency", "status")
            .annotate(total=Sum(F("amount") - F("clawed_back"))))
    for row in rows:
        summary.setdefault(row["currency"], dict.fromkeys(Commission.Status.values, Decimal(0)))
        summary[row["currency"]][row["status"]] += row["total"] or Decimal(0)
    taken = (CommissionEvent.objects.filter(commission__creator=creator, amount_change__lt=0)
             .values("commission__currency").annotate(total=Sum("amount_change")))
    for row in taken:
        summary.setdefault(row["commission__currency"], dict.fromkeys(Commission.Status.values, Decimal(0)))
        summary[row["commission__currency"]]["reversed"] = -row["total"]
    return summary


def commissions_of(*, creator: Creator) -> QuerySet[Commission]:
    return Commission.objects.filter(creator=creator).select_related("order", "order_line", "shop")


def payouts_of(*, creator: Creator) -> QuerySet[Payout]:
    return Payout.objects.filter(creator=creator).order_by("-created_at")


def statement_entries(*, payout: Payout) -> QuerySet[LedgerEntry]:
    """The ledger entries a payout paid: after the previous payout's, up to its own."""
    previous = (Payout.objects.filter(creator_id=payout.creator_id, currency=payout.currency,
                                      covers_through__lt=payout.covers_through)
                .order_by("-covers_through").values_list("covers_through", flat=True).first()) or 0
    return (LedgerEntry.objects.filter(creator_id=payout.creator_id, currency=payout.currency,
                                       pk__gt=previous, pk__lte=payout.covers_through)
            .select_related("commission__order").order_by("pk"))


def _month_bounds(month: date) -> tuple[datetime, datetime]:
    start = datetime.combine(month, datetime.min.time(), tzinfo=UTC)
    return start, datetime.combine(next_month(month), datetime.min.time(), tzinfo=UTC)


def seller_statement(*, shop: Shop, month: date) -> dict:
    """A shop's month: the commissions computed that month, by creator and by product, and
    every reduction that month (refunds before or after approval, reversals) as its own line.
    Owed for the month = commissions + reductions."""
    start, end = _month_bounds(month)
    events = CommissionEvent.objects.filter(commission__shop=shop, at__gte=start, at__lt=end)
    made = events.filter(amount_change__gt=0)
    sums = {"orders": Count("commission__order", distinct=True), "gmv": Sum("commission__base"),
            "commission": Sum("amount_change")}
    reductions = (events.filter(amount_change__lt=0)
                  .select_related("commission__creator", "commission__order", "commission__order_line")
                  .order_by("at"))
    totals = made.aggregate(**sums)
    reduction_total = reductions.aggregate(total=Sum("amount_change"))["total"] or Decimal(0)
    return {
        "by_creator": list(made.values(handle=F("commission__creator__handle")).annotate(**sums)
                           .order_by("-commission")),
        "by_product": list(made.values(title=F("commission__order_line__title")).annotate(**sums)
                           .order_by("-commission")),
        "reductions": list(reductions),
        "totals": totals,
        "reduction_total": reduction_total,
        "owed": (totals["commission"] or Decimal(0)) + reduction_total,
    }
