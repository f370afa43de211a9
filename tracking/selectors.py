"""Reads of the tracking app. Every figure comes from DailyLinkStats, never raw clicks."""

from decimal import Decimal

from django.db.models import (
    CharField,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce

from affiliates.models import Creator
from affiliates.selectors import creators_for_sellers

from .models import CreatorPerformance, DailyLinkStats, Link
from .periods import Period

SUMS = {name: Sum(name) for name in
        ("clicks", "unique_clicks", "flagged_clicks", "orders", "items", "gmv", "commission")}


def stats_grouped(*, scope: Q, group_by: dict[str, str], period: Period, model=DailyLinkStats) -> QuerySet:
    """Rollups inside `scope` for the period, summed per group; `group_by` maps output
    names to fields (for example {"product_title": "product__title"}). Per-product
    figures read ProductAffiliateDaily (`model=`), a row per product and day."""
    return (
        model.objects.filter(scope, day__range=(period.start, period.end))
        .values(**{name: F(field) for name, field in group_by.items()})
        .annotate(**SUMS)
        .order_by("-gmv", "-clicks")
    )


def creator_ranking(*, shop, period: Period, limit: int = 5) -> tuple[list[dict], int]:
    """The shop's top creators of the period (GMV, then clicks) with their sums, and how many
    creators were active in it (had a rollup row). One grouped query: a window over the
    groups counts them, so the count costs no second pass over the rollup rows. Only the
    sums the ranking shows are taken: each one is work per rollup row."""
    rows = list(DailyLinkStats.objects.filter(shop=shop, day__range=(period.start, period.end))
                .values("creator_id").annotate(clicks=Sum("clicks"), orders=Sum("orders"), gmv=Sum("gmv"),
                                               active=Window(Count("*")))
                .order_by("-gmv", "-clicks", "creator_id")[:limit])
    handles = dict(Creator.objects.filter(pk__in=[row["creator_id"] for row in rows]).values_list("pk", "handle"))
    for row in rows:
        row["handle"] = handles[row["creator_id"]]
    return rows, (rows[0]["active"] if rows else 0)


def active_creators(*, shop, period: Period) -> int:
    return (DailyLinkStats.objects.filter(shop=shop, day__range=(period.start, period.end))
            .values("creator").distinct().count())


def links_of_creator(*, creator) -> QuerySet[Link]:
    return Link.objects.filter(creator=creator).select_related("product__shop")


def conversion_rate(orders: int | None, unique_clicks: int | None) -> float | None:
    return round(100 * (orders or 0) / unique_clicks, 2) if unique_clicks else None


def creator_directory(*, shop) -> QuerySet[Creator]:
    """Approved creators for a seller to find: their sample record, and over the last 90
    days their attributed orders (all shops) and GMV in this shop's currency, both
    sortable and filterable (orders_90d, gmv_90d)."""
    performance = CreatorPerformance.objects.filter(creator=OuterRef("pk"))
    orders = performance.values("creator").annotate(total=Sum("orders")).values("total")
    gmv = performance.filter(currency=shop.currency).values("gmv")[:1]
    return creators_for_sellers().annotate(
        orders_90d=Coalesce(Subquery(orders, output_field=IntegerField()), 0),
        gmv_90d=Coalesce(Subquery(gmv, output_field=DecimalField(max_digits=14, decimal_places=2)), Decimal(0)),
        gmv_currency=Value(shop.currency, output_field=CharField()),
    )
