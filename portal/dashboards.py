"""The seller dashboard and the creator portal home: every figure from a daily rollup
(shops.ShopDailyStats, tracking.DailyLinkStats) or an indexed aggregate, never a scan
of raw clicks or orders, so a page costs the same with a month or a year of traffic.

They live in portal, the top floor, because they show every app's data. With a streaming
replica configured, the two homes read it (common/db.py: never inside a transaction, never
for a person whose last write it has not replayed).
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from affiliates.models import Creator, Invitation, SampleRequest
from affiliates.selectors import seller_affiliate_waiting
from common.counts import count_each
from common.db import replica_read
from common.money import format_money
from payouts.models import Commission, EarlyPayoutRequest, PayoutRun
from payouts.months import next_month
from payouts.owed import open_commissions_owed
from payouts.selectors import balances
from shops.models import Order, Product, Shop, ShopDailyStats
from shops.selectors import seller_waiting
from tracking.models import Click, DailyLinkStats, ProductAffiliateDaily, ShopAffiliateDaily
from tracking.periods import Period
from tracking.selectors import conversion_rate, creator_ranking, stats_grouped

ZERO = Decimal("0")


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    change: float | None  # percent against the previous period; None when there is nothing to compare
    hint: str = ""


def _change(now, before) -> float | None:
    now, before = now or 0, before or 0
    if not before:
        return None
    return round(100 * (float(now) - float(before)) / float(before), 1)


def _days(period: Period) -> list:
    return [period.start + timedelta(days=n) for n in range(period.days)]


def _series(rows, period: Period, field: str) -> list:
    by_day = {row["day"]: row[field] for row in rows}
    return [float(by_day.get(day) or 0) for day in _days(period)]


# --------------------------------------------------------------------------------------
# Seller
# --------------------------------------------------------------------------------------


def _daily_rows(model, shop: Shop, period: Period, fields: tuple[str, ...]) -> list[dict]:
    """The shop's rollup rows of the period and of the one before it, in one read."""
    return list(model.objects.filter(shop=shop, day__range=(period.previous().start, period.end))
                .values("day", *fields))


def _totals(rows: list[dict], period: Period, fields: tuple[str, ...]) -> dict:
    """Each field summed over the rows inside the period (money fields sum from Decimal 0)."""
    inside = [row for row in rows if period.start <= row["day"] <= period.end]
    return {field: sum((row[field] for row in inside), ZERO if field in ("gmv", "commission") else 0)
            for field in fields}


@replica_read
def seller_dashboard(*, shop: Shop, period: Period) -> dict:
    """Headline figures, charts, the top creators and the affiliate to-dos of the seller home.

    The shop's two daily rollups are read once each, for this period and the previous
    one: the headline sums, their comparisons and the charts all come from those rows.
    """
    shop_fields, link_fields = ("orders", "gmv"), ("clicks", "unique_clicks", "orders", "gmv", "code_orders")
    shop_rows = _daily_rows(ShopDailyStats, shop, period, shop_fields)
    link_rows = _daily_rows(ShopAffiliateDaily, shop, period, link_fields)
    now, before = ({**_totals(shop_rows, p, shop_fields),
                    **{f"affiliate_{field}": value for field, value in _totals(link_rows, p, link_fields).items()}}
                   for p in (period, period.previous()))
    ranking = creator_ranking(shop=shop, period=period)
    top_creators, active, active_before = ranking.top, ranking.active, ranking.active_before
    samples = creator_fulfilment(shop=shop, creator_ids=[row["creator_id"] for row in top_creators])
    for row in top_creators:
        row["samples"] = samples.get(row["creator_id"], (0, 0))
    currency = shop.currency or "USD"
    share = round(100 * float(now["affiliate_gmv"]) / float(now["gmv"]), 1) if now["gmv"] else None
    conversion, conversion_before = (conversion_rate(now["affiliate_orders"], now["affiliate_unique_clicks"]),
                                     conversion_rate(before["affiliate_orders"], before["affiliate_unique_clicks"]))
    owed = open_commissions_owed(shop=shop)

    def money(value):
        return format_money(value, currency)

    figures = [
        Figure("GMV", money(now["gmv"]), _change(now["gmv"], before["gmv"])),
        Figure("Affiliate GMV", money(now["affiliate_gmv"]), _change(now["affiliate_gmv"], before["affiliate_gmv"]),
               f"{share} % of GMV" if share is not None else ""),
        Figure("Orders", f"{now['orders']:,}", _change(now["orders"], before["orders"])),
        Figure("Affiliate orders", f"{now['affiliate_orders']:,}",
               _change(now["affiliate_orders"], before["affiliate_orders"]),
               _by_channel(now["affiliate_orders"], now["affiliate_code_orders"])),
        Figure("Clicks", f"{now['affiliate_clicks']:,}", _change(now["affiliate_clicks"], before["affiliate_clicks"]),
               f"{now['affiliate_unique_clicks']:,} unique"),
        Figure("Conversion", f"{conversion} %" if conversion is not None else "—",
               _change(conversion, conversion_before), "affiliate orders per unique click"),
        Figure("Commissions owed", money((owed.get("pending") or ZERO) + (owed.get("approved") or ZERO)
                                         + (owed.get("frozen") or ZERO)), None,
               f"{money(owed.get('pending') or ZERO)} pending, {money(owed.get('approved') or ZERO)} approved"),
        Figure("Active creators", f"{active:,}", _change(active, active_before)),
    ]
    chart = {
        "labels": [day.isoformat() for day in _days(period)],
        "gmv": _series(shop_rows, period, "gmv"), "affiliate_gmv": _series(link_rows, period, "gmv"),
        "clicks": _series(link_rows, period, "clicks"), "orders": _series(link_rows, period, "orders"),
        "currency": currency,
    }
    program = getattr(shop, "affiliate_program", None)
    # The shop's and the program's to-dos counted in one statement.
    todo = count_each({**seller_waiting(shop=shop),
                       **(seller_affiliate_waiting(program=program) if program is not None else {})})
    return {"figures": figures, "chart": chart, "todo": todo, "currency": currency, "top_creators": top_creators}


def creator_fulfilment(*, shop: Shop, creator_ids) -> dict[int, tuple[int, int]]:
    rows = (SampleRequest.objects.filter(program__shop=shop, creator_id__in=creator_ids)
            .values("creator_id").annotate(done=Count("id", filter=Q(status=SampleRequest.Status.FULFILLED)),
                                           late=Count("id", filter=Q(status=SampleRequest.Status.OVERDUE))))
    return {row["creator_id"]: (row["done"], row["late"]) for row in rows}


@replica_read
def seller_top_products(*, shop: Shop, period: Period, limit: int = 5) -> list[dict]:
    return list(stats_grouped(scope=Q(shop=shop), period=period, group_by={"title": "product__title"},
                              model=ProductAffiliateDaily)[:limit])


# --------------------------------------------------------------------------------------
# Creator
# --------------------------------------------------------------------------------------


def _by_channel(orders: int, code_orders: int) -> str:
    """"9 by link · 3 by code": how the period's attributed orders were credited."""
    return f"{orders - code_orders:,} by link · {code_orders:,} by code"


@replica_read
def creator_dashboard(*, creator: Creator, period: Period) -> dict:
    # The creator's rollups summed per day over this period and the one before, in one read:
    # the figures, their comparisons and the chart all come from these rows.
    fields = ("clicks", "unique_clicks", "orders", "code_orders", "commission")
    days = list(DailyLinkStats.objects.filter(creator=creator, day__range=(period.previous().start, period.end))
                .values("day").annotate(**{field: Sum(field) for field in fields}).order_by())
    now, before = (_totals(days, p, fields) for p in (period, period.previous()))
    now["unique"], before["unique"] = now["unique_clicks"], before["unique_clicks"]
    conversion = conversion_rate(now["orders"], now["unique"])
    by_status = {(row["currency"], row["status"]): row["total"] for row in
                 Commission.objects.filter(creator=creator).values("currency", "status")
                 .annotate(total=Sum(F("amount") - F("clawed_back")))}
    currencies = sorted({currency for currency, _ in by_status})

    def money_by(status):
        return " · ".join(format_money(by_status.get((c, status)) or ZERO, c) for c in currencies) or "—"

    figures = [
        Figure("Clicks", f"{now['clicks']:,}", _change(now["clicks"], before["clicks"]), f"{now['unique']:,} unique"),
        Figure("Orders", f"{now['orders']:,}", _change(now["orders"], before["orders"]),
               _by_channel(now["orders"], now["code_orders"])),
        Figure("Conversion", f"{conversion} %" if conversion is not None else "—",
               _change(conversion, conversion_rate(before["orders"], before["unique"]))),
        Figure("Earnings pending", money_by("pending"), None, "in the hold period"),
        Figure("Approved", money_by("approved"), None, "to be paid in the next run"),
        Figure("Paid", money_by("paid"), None),
    ]
    chart = {"labels": [day.isoformat() for day in _days(period)], "clicks": _series(days, period, "clicks"),
             "earnings": _series(days, period, "commission")}
    top_links = (DailyLinkStats.objects.filter(creator=creator, day__range=(period.start, period.end))
                 .values(title=F("product__title"), code=F("link__code"), currency=F("shop__currency"))
                 .annotate(clicks=Sum("clicks"), orders=Sum("orders"), gmv=Sum("gmv"), commission=Sum("commission"))
                 .order_by("-commission", "-clicks")[:5])
    return {
        "figures": figures, "chart": chart, "top_links": list(top_links),
        "balances": balances(creator=creator), "next_payout": next_month(timezone.now().date()),
        "invitations": Invitation.objects.filter(creator=creator, status=Invitation.Status.PENDING)
        .select_related("program__shop").order_by("expires_at")[:5],
        "samples_due": SampleRequest.objects.filter(
            creator=creator, status__in=[SampleRequest.Status.DELIVERED, SampleRequest.Status.OVERDUE])
        .select_related("product").order_by("content_due")[:5],
    }


# --------------------------------------------------------------------------------------
# Staff
# --------------------------------------------------------------------------------------


def platform_figures(*, days: int = 30) -> list[tuple[str, str]]:
    """The admin index's figures for the last 30 days, per currency where money."""
    today = timezone.now().date()
    period = Period(start=today - timedelta(days=days - 1), end=today)
    span = {"day__range": (period.start, period.end)}
    gmv = ShopDailyStats.objects.filter(**span).values(currency=F("shop__currency")).annotate(total=Sum("gmv"))
    link = DailyLinkStats.objects.filter(**span).values(currency=F("shop__currency")).annotate(
        gmv=Sum("gmv"), commission=Sum("commission"))
    clicks = DailyLinkStats.objects.filter(**span).aggregate(clicks=Coalesce(Sum("clicks"), 0),
                                                             flagged=Coalesce(Sum("flagged_clicks"), 0))
    due = Commission.objects.filter(status=Commission.Status.APPROVED).values("currency").annotate(
        total=Sum(F("amount") - F("clawed_back")))

    def joined(rows, field):
        return " · ".join(format_money(row[field] or ZERO, row["currency"]) for row in rows if row["currency"]) or "—"

    return [
        ("GMV", joined(gmv, "total")), ("Affiliate GMV", joined(link, "gmv")),
        ("Commissions", joined(link, "commission")), ("Clicks", f"{clicks['clicks']:,}"),
        ("Flagged clicks", f"{clicks['flagged']:,}"), ("Approved, to be paid", joined(due, "total")),
    ]


def review_queues(*, user) -> list[tuple[str, str, int]]:
    """(label, changelist link, how many wait) for each queue this staff member may work."""
    week_ago = timezone.now() - timedelta(days=7)
    queues = [
        ("shops.view_product", "Products in review (oldest first)",
         reverse("admin:shops_product_changelist") + "?status__exact=in_review&o=7",
         lambda: Product.objects.filter(status=Product.Status.IN_REVIEW).count()),
        ("shops.view_shop", "Shops waiting for approval",
         reverse("admin:shops_shop_changelist") + "?status__exact=pending",
         lambda: Shop.objects.filter(status=Shop.Status.PENDING).count()),
        ("affiliates.view_creator", "Creators waiting for approval",
         reverse("admin:affiliates_creator_changelist") + "?status__exact=pending",
         lambda: Creator.objects.filter(status=Creator.Status.PENDING).count()),
        ("shops.view_order", "Orders held for fraud review",
         reverse("admin:shops_order_changelist") + "?under_review__exact=1",
         lambda: Order.objects.filter(under_review=True).count()),
        ("tracking.view_click", "Flagged clicks, last 7 days (bots, prefetch, bursts)",
         reverse("admin:tracking_click_changelist") + "?flagged=yes",
         lambda: Click.objects.filter(Q(is_bot=True) | Q(is_prefetch=True) | Q(is_burst=True),
                                      at__gte=week_ago).count()),
        ("payouts.change_earlypayoutrequest", "Early payout requests",
         reverse("admin:payouts_earlypayoutrequest_changelist") + "?status__exact=requested",
         lambda: EarlyPayoutRequest.objects.filter(status=EarlyPayoutRequest.Status.REQUESTED).count()),
        ("payouts.change_payoutrun", "Payout runs to review or pay", reverse("admin:payouts_payoutrun_changelist"),
         lambda: PayoutRun.objects.filter(status__in=[PayoutRun.Status.READY, PayoutRun.Status.APPROVED]).count()),
    ]
    return [(label, url, count()) for perm, label, url, count in queues if user.has_perm(perm)]
