"""Reads of the payouts app: a creator's earnings and payouts (statements: statements.py)."""

from decimal import Decimal

from django.db.models import F, OuterRef, QuerySet, Subquery, Sum

from affiliates.models import Creator
from common.models import AuditEntry
from common.money import money_sum
from shops.models import Shop
from tracking.models import Conversion

from .models import Commission, EarlyPayoutRequest, LedgerEntry, Payout


def earnings_summary(*, creator: Creator) -> dict[str, dict[str, Decimal]]:
    """Per currency: what is pending, approved (unpaid), paid and frozen now, and what
    refunds and reversals took off ("reversed")."""
    summary: dict[str, dict[str, Decimal]] = {}
    rows = (Commission.objects.filter(creator=creator).values("currency", "status")
            .annotate(total=Sum(F("amount") - F("clawed_back"))))
    for row in rows:
        summary.setdefault(row["currency"], dict.fromkeys(Commission.Status.values, Decimal(0)))
        summary[row["currency"]][row["status"]] += row["total"] or Decimal(0)
    taken = (AuditEntry.objects.filter(commission__creator=creator, amount_change__lt=0)
             .values("commission__currency").annotate(total=Sum("amount_change")))
    for row in taken:
        summary.setdefault(row["commission__currency"], dict.fromkeys(Commission.Status.values, Decimal(0)))
        summary[row["commission__currency"]]["reversed"] = -row["total"]
    return summary


def commissions_of(*, creator: Creator) -> QuerySet[Commission]:
    return Commission.objects.filter(creator=creator).select_related(
        "order", "order_line", "shop", "order__conversion__code", "order__conversion__content")


def payouts_of(*, creator: Creator) -> QuerySet[Payout]:
    return Payout.objects.filter(creator=creator).order_by("-created_at")


def open_early_requests(*, creator: Creator) -> dict[str, EarlyPayoutRequest]:
    """The creator's early payout requests still waiting for finance, by currency."""
    return {request.currency: request for request in
            creator.early_payout_requests.filter(status=EarlyPayoutRequest.Status.REQUESTED)}


def balances(*, creator: Creator) -> dict[str, Decimal]:
    """What the creator is owed and not yet paid, per currency: the sum of their entries."""
    return {row["currency"]: money_sum(row["total"], row["currency"]) for row in
            LedgerEntry.objects.filter(creator=creator).values("currency").annotate(total=Sum("amount"))
            .order_by("currency")}


def affiliate_orders(*, shop: Shop):
    """The shop's attributed orders, newest first, each with its commission."""
    commission = (Commission.objects.filter(order=OuterRef("order")).values("order")
                  .annotate(total=Sum(F("amount") - F("clawed_back"))).values("total"))
    return (Conversion.objects.filter(order__shop=shop, outcome=Conversion.Outcome.ATTRIBUTED)
            .select_related("order", "creator", "code", "content").prefetch_related("order__commissions")
            .annotate(commission=Subquery(commission)).order_by("-created_at"))


def latest_affiliate_orders(*, shop: Shop, limit: int = 10) -> list[dict]:
    """The shop's last attributed orders for the seller home: the order's id, number, total
    and currency, the creator's handle and the commission, and nothing else."""
    commission = (Commission.objects.filter(order=OuterRef("order")).values("order")
                  .annotate(total=Sum(F("amount") - F("clawed_back"))).values("total"))
    return list(Conversion.objects.filter(order__shop=shop, outcome=Conversion.Outcome.ATTRIBUTED)
                .order_by("-created_at")
                .values("order_id", number=F("order__number"), total=F("order__total"),
                        currency=F("order__currency"), handle=F("creator__handle"))
                .annotate(commission=Subquery(commission))[:limit])
