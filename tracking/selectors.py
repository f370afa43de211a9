"""Reads of the tracking app. Every figure comes from the rollups (DailyLinkStats and its
sums), never raw clicks; what a creator code brought comes from the conversions. The
`@replica_read` ones read a streaming replica when one is configured (common/db.py)."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import connections, router
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
)
from django.db.models.functions import Coalesce
from django.urls import reverse

from affiliates.models import Content, Creator
from affiliates.selectors import creators_for_sellers
from common.db import replica_read

from .models import ContentDaily, Conversion, CreatorPerformance, DailyLinkStats, Link, ShopCreatorToDate
from .periods import Period
from .rollups import TO_DATE

SUMS = {name: Sum(name) for name in
        ("clicks", "unique_clicks", "flagged_clicks", "orders", "items", "gmv", "commission")}


@replica_read
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


@dataclass(frozen=True)
class Ranking:
    """A shop's top creators of a period and how many creators were active in it and in the
    period before (had a rollup row: a click, an order or a commission)."""

    top: list[dict]  # creator_id, handle, clicks, orders, gmv, commission; best first
    active: int
    active_before: int


# A period's figures are the pair's figures to date at its end minus those before its
# start, whatever the period's length. At the end: the pair's latest figures (on its
# ShopCreator row) when its latest day is on or before the end, else an index probe of its
# rows to date. Before the start: the pairs' rows of the day before it, all in one index
# range (m), and a probe only for a pair without a row that day. Pairs with nothing since
# `since` are left out; `active`: something in the period; `active_before`: in the one before.
PAIR_FIGURES_SQL = """
SELECT p.creator_id, {figures},
       COALESCE(CASE WHEN p.day <= %(end)s THEN p.day ELSE e.day END >= %(start)s, false) AS active,
       COALESCE(b.day >= %(before)s, false) AS active_before
FROM tracking_shopcreator p
LEFT JOIN LATERAL (
  SELECT t.day, {names} FROM tracking_shopcreatortodate t
  WHERE p.day > %(end)s AND t.shop_id = p.shop_id AND t.creator_id = p.creator_id AND t.day <= %(end)s
  ORDER BY t.day DESC LIMIT 1) e ON true
LEFT JOIN tracking_shopcreatortodate m
  ON m.shop_id = p.shop_id AND m.creator_id = p.creator_id AND m.day = %(start)s::date - 1
LEFT JOIN LATERAL (
  SELECT m.day, {m_names} WHERE m.day IS NOT NULL
  UNION ALL
  (SELECT t.day, {names} FROM tracking_shopcreatortodate t
   WHERE m.day IS NULL AND t.shop_id = p.shop_id AND t.creator_id = p.creator_id AND t.day < %(start)s
   ORDER BY t.day DESC LIMIT 1)) b ON true
WHERE p.shop_id = %(shop)s AND p.day >= %(since)s
""".format(  # noqa: S608 - our identifiers; every value a parameter
    figures=", ".join(f"COALESCE(CASE WHEN p.day <= %(end)s THEN p.{name} ELSE e.{name} END, 0) "
                      f"- COALESCE(b.{name}, 0) AS {name}" for name in TO_DATE),
    names=", ".join(f"t.{name}" for name in TO_DATE), m_names=", ".join(f"m.{name}" for name in TO_DATE))

RANKING_SQL = f"""
SELECT r.creator_id, c.handle, r.clicks, r.orders, r.gmv, r.commission, r.active, r.active_count, r.before_count
FROM (
  SELECT s.*, COUNT(*) FILTER (WHERE s.active) OVER () AS active_count,
         COUNT(*) FILTER (WHERE s.active_before) OVER () AS before_count
  FROM ({PAIR_FIGURES_SQL}) s
  ORDER BY s.active DESC, s.gmv DESC, s.clicks DESC, s.creator_id
  LIMIT %(limit)s
) r
JOIN affiliates_creator c ON c.id = r.creator_id
ORDER BY r.active DESC, r.gmv DESC, r.clicks DESC, r.creator_id
"""  # noqa: S608 - our identifiers; every value a parameter

CREATOR_FIGURES_SQL = f"""
SELECT c.handle, s.clicks, s.unique_clicks, s.orders, s.gmv, s.commission
FROM ({PAIR_FIGURES_SQL}) s JOIN affiliates_creator c ON c.id = s.creator_id
WHERE s.active
ORDER BY s.gmv DESC, s.clicks DESC, c.handle
"""  # noqa: S608


@replica_read
def creator_ranking(*, shop, period: Period, limit: int = 5) -> Ranking:
    """The shop's top creators of the period (GMV, then clicks), with how many creators were
    active in it and in the period before, from the figures to date (ShopCreatorToDate): one
    query whose cost grows with the shop's creators, not with the period's days.
    SQLite (the embedded default, no LATERAL) sums the daily rollups instead."""
    database = connections[router.db_for_read(ShopCreatorToDate)]
    if database.vendor != "postgresql":
        return _creator_ranking_from_days(shop=shop, period=period, limit=limit)
    with database.cursor() as cursor:
        cursor.execute(RANKING_SQL, {"shop": shop.pk, "start": period.start, "end": period.end,
                                     "before": period.previous().start, "since": period.previous().start,
                                     "limit": limit})
        rows = cursor.fetchall()
    top = [{"creator_id": creator_id, "handle": handle, "clicks": clicks, "orders": orders, "gmv": gmv,
            "commission": commission}
           for creator_id, handle, clicks, orders, gmv, commission, active, *_ in rows if active]
    return Ranking(top=top, active=rows[0][7] if rows else 0, active_before=rows[0][8] if rows else 0)


def _creator_ranking_from_days(*, shop, period: Period, limit: int) -> Ranking:
    def in_period(days: Period):
        return DailyLinkStats.objects.filter(shop=shop, day__range=(days.start, days.end))

    top = list(in_period(period).values("creator_id", handle=F("creator__handle"))
               .annotate(clicks=Sum("clicks"), orders=Sum("orders"), gmv=Sum("gmv"), commission=Sum("commission"))
               .order_by("-gmv", "-clicks", "creator_id")[:limit])
    return Ranking(top=top, active=in_period(period).values("creator").distinct().count(),
                   active_before=in_period(period.previous()).values("creator").distinct().count())


@replica_read
def creator_figures(*, shop, period: Period) -> list[dict]:
    """Each creator's figures for the shop in the period (creator_handle, clicks,
    unique_clicks, orders, gmv, commission), most GMV first: the performance page's table by
    creator. Two rows to date per creator (PostgreSQL), however long the period; SQLite sums
    the daily rollups."""
    database = connections[router.db_for_read(ShopCreatorToDate)]
    if database.vendor != "postgresql":
        return list(stats_grouped(scope=Q(shop=shop), period=period, group_by={"creator_handle": "creator__handle"}))
    with database.cursor() as cursor:
        cursor.execute(CREATOR_FIGURES_SQL, {"shop": shop.pk, "start": period.start, "end": period.end,
                                             "before": period.previous().start, "since": period.start})
        return [{"creator_handle": handle, "clicks": clicks, "unique_clicks": unique, "orders": orders, "gmv": gmv,
                 "commission": commission} for handle, clicks, unique, orders, gmv, commission in cursor.fetchall()]


def links_of_creator(*, creator) -> QuerySet[Link]:
    return Link.objects.filter(creator=creator).select_related("product__shop")


@replica_read
def link_days(*, link: Link, period: Period) -> dict:
    """One link over the period: its sums, and per day its clicks, orders and earnings
    (a value for every day, zero where nothing happened), for its chart."""
    rows = {row["day"]: row for row in DailyLinkStats.objects.filter(link=link, day__range=(period.start, period.end))
            .values("day", "clicks", "unique_clicks", "orders", "gmv", "commission")}
    days = [period.start + timedelta(days=n) for n in range(period.days)]
    totals = {name: sum((row[name] for row in rows.values()), Decimal(0) if name in ("gmv", "commission") else 0)
              for name in ("clicks", "unique_clicks", "orders", "gmv", "commission")}
    return {
        "totals": totals,
        "chart": {"labels": [day.isoformat() for day in days],
                  **{name: [float(rows[day][name]) if day in rows else 0.0 for day in days]
                     for name in ("clicks", "orders")},
                  "earnings": [float(rows[day]["commission"]) if day in rows else 0.0 for day in days]},
    }


def link_of(*, creator, product) -> Link | None:
    """The creator's link for the product, if they have made one."""
    return Link.objects.filter(creator=creator, product=product).first()


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



PROTECTED_LISTED = 100


def protected_link_holders(*, cuts) -> dict[int, tuple[int, list[Link]]]:
    """For each pending rate cut (by id): how many links made before it keep the old rate
    until the cut reaches them, and the first PROTECTED_LISTED of them. For a product's
    cut those are the product's links; for a cut of the program default, the links of all
    the shop's products (a product with its own open rate keeps that rate anyway). Two
    queries a cut; a program has few pending cuts."""
    result = {}
    for cut in cuts:
        links = Link.objects.filter(product__shop_id=cut.program.shop_id, created_at__lt=cut.changed_at)
        if cut.product_id is not None:
            links = links.filter(product_id=cut.product_id)
        result[cut.pk] = (links.count(),
                          list(links.select_related("creator", "product").order_by("created_at")[:PROTECTED_LISTED]))
    return result


# --------------------------------------------------------------------------------------
# Content pieces and creator codes
# --------------------------------------------------------------------------------------


@replica_read
def content_figures(*, scope: Q, period: Period) -> dict[tuple[int, int], dict]:
    """Clicks, orders, GMV and commission through content links in the period, per
    (content piece, shop): from ContentDaily, one grouped query."""
    rows = (ContentDaily.objects.filter(scope, day__range=(period.start, period.end))
            .values("content_id", "shop_id").annotate(**SUMS))
    return {(row["content_id"], row["shop_id"]): row for row in rows}


@replica_read
def content_report(*, scope: Q, period: Period) -> list[dict]:
    """Per content piece and shop, its sums for the period, most GMV first, with the piece's
    title, address, platform, creator and the shop's currency: the seller's "which video sold"."""
    return list(ContentDaily.objects.filter(scope, day__range=(period.start, period.end))
                .values("content_id", "shop_id", title=F("content__title"), url=F("content__url"),
                        platform=F("content__platform"), creator_handle=F("creator__handle"),
                        currency=F("shop__currency"), shop_name=F("shop__name"))
                .annotate(**SUMS).order_by("-gmv", "-clicks", "content_id"))


@replica_read
def content_days(*, content, period: Period) -> dict:
    """One content piece over the period, per shop currency: sums, and per day its clicks,
    orders and commission (every day, zero where nothing happened), for its chart."""
    rows = list(ContentDaily.objects.filter(content=content, day__range=(period.start, period.end))
                .values("day", "shop__currency").annotate(**SUMS))
    days = [period.start + timedelta(days=n) for n in range(period.days)]
    per_day = {}
    for row in rows:
        for name in ("clicks", "orders", "commission"):
            per_day.setdefault((name, row["day"]), 0)
            per_day[(name, row["day"])] += float(row[name] or 0)
    totals: dict[str, dict] = {}
    for row in rows:
        sums = totals.setdefault(row["shop__currency"], dict.fromkeys(SUMS, 0))
        for name in SUMS:
            sums[name] += row[name] or 0
    return {
        "totals": totals,
        "chart": {"labels": [day.isoformat() for day in days],
                  "clicks": [per_day.get(("clicks", day), 0.0) for day in days],
                  "orders": [per_day.get(("orders", day), 0.0) for day in days],
                  "earnings": [per_day.get(("commission", day), 0.0) for day in days]},
    }


def contents_of_creator(*, creator) -> QuerySet[Content]:
    return Content.objects.filter(creator=creator).prefetch_related("products__shop")


@replica_read
def content_rows(*, creator, period: Period, limit: int = 200) -> list[tuple]:
    """(post, shop, its sums for the period) for each of the creator's latest posts and each
    shop whose products it features (amounts are per shop currency). Three queries."""
    figures = content_figures(scope=Q(creator=creator), period=period)
    rows = []
    for content in contents_of_creator(creator=creator)[:limit]:
        shops = {product.shop_id: product.shop for product in content.products.all()}
        rows += [(content, shop, figures.get((content.pk, shop_id), {})) for shop_id, shop in shops.items()]
    return rows


def content_links(*, content) -> list[tuple]:
    """(product, the piece's link path for it, or None where the creator has no link for
    the product) for each product the piece features: /r/<link code>/<the piece's tag>."""
    links = {link.product_id: link for link in Link.objects.filter(creator=content.creator_id,
                                                                   product__in=content.products.all())}
    products = sorted(content.products.all(), key=lambda product: (product.title, product.pk))
    return [(product, reverse("content_redirect", kwargs={"code": links[product.pk].code, "tag": content.tag})
             if product.pk in links else None) for product in products]


@replica_read
def code_figures(*, codes) -> dict[int, dict]:
    """Per creator code: the orders it brought (attributed through it), their GMV (what
    buyers paid for the items, after discounts) and the commission on them now."""
    attributed = Conversion.objects.filter(code__in=codes, via=Conversion.Via.CODE,
                                           outcome=Conversion.Outcome.ATTRIBUTED)
    gmv = {row["code_id"]: row for row in attributed.values("code_id").annotate(
        orders=Count("order", distinct=True), gmv=Sum("order__lines__net_amount"))}
    commission = dict(attributed.values("code_id").annotate(
        total=Sum(F("order__commissions__amount") - F("order__commissions__clawed_back")))
        .values_list("code_id", "total"))
    return {code.pk: {"orders": gmv.get(code.pk, {}).get("orders", 0),
                      "gmv": gmv.get(code.pk, {}).get("gmv") or Decimal(0),
                      "commission": commission.get(code.pk) or Decimal(0)} for code in codes}


@replica_read
def orders_by_channel(*, scope: Q, period: Period, model=DailyLinkStats) -> dict[str, dict]:
    """Attributed orders placed in the period, by how they were credited ("link", "code"):
    how many, and their GMV. From a rollup (`model`: DailyLinkStats, or a shop's
    ShopAffiliateDaily), where every attributed order counts on its link's row and those a
    creator code credited also in code_orders and code_gmv."""
    sums = model.objects.filter(scope, day__range=(period.start, period.end)).aggregate(
        orders=Coalesce(Sum("orders"), 0), gmv=Coalesce(Sum("gmv"), Decimal(0), output_field=DecimalField()),
        code_orders=Coalesce(Sum("code_orders"), 0),
        code_gmv=Coalesce(Sum("code_gmv"), Decimal(0), output_field=DecimalField()))
    code = {"orders": sums["code_orders"], "gmv": sums["code_gmv"]}
    return {Conversion.Via.LINK: {"orders": sums["orders"] - code["orders"], "gmv": sums["gmv"] - code["gmv"]},
            Conversion.Via.CODE: code}
