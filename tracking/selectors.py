"""Reads of the tracking app. Every figure comes from DailyLinkStats, never raw clicks."""

from django.db.models import F, Q, QuerySet, Sum

from .models import DailyLinkStats, Link
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


def links_of_creator(*, creator) -> QuerySet[Link]:
    return Link.objects.filter(creator=creator).select_related("product__shop")


def conversion_rate(orders: int | None, unique_clicks: int | None) -> float | None:
    return round(100 * (orders or 0) / unique_clicks, 2) if unique_clicks else None
