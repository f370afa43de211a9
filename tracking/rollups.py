"""Incremental upkeep of DailyLinkStats: one upsert per (day, link), set-based, and of
its sums per shop, per product, per shop and creator to date and, for increments that came
through a content piece's link, per content piece.

Every writer (the click batch, attribution, commissions) adds its increments here, so
the rollups stay the only place dashboards read from.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import F

from .models import (
    ContentDaily,
    DailyLinkStats,
    Link,
    ProductAffiliateDaily,
    ShopAffiliateDaily,
    ShopCreator,
    ShopCreatorToDate,
)

# `code_orders` and `code_gmv`: the part of `orders` and `gmv` a creator code credited.
COUNTERS = ("clicks", "unique_clicks", "flagged_clicks", "orders", "items", "gmv", "commission", "code_orders",
            "code_gmv")
MONEY = ("gmv", "commission", "code_gmv")
# What the creator ranking and the performance by creator show, kept to date per shop and
# creator (ShopCreatorToDate, and the latest on ShopCreator).
TO_DATE = ("clicks", "unique_clicks", "orders", "gmv", "commission")


@dataclass
class Increment:
    day: date
    link_id: int
    values: dict = field(default_factory=dict)
    content_id: int | None = None  # the content piece whose link it came through


def rollup_add(increments: Iterable[Increment]) -> int:
    """Add the increments to their (day, link) rows, creating rows as needed. Returns rows touched."""
    merged: dict[tuple[date, int], dict] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    through_content: dict[tuple[date, int, int], dict] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    for increment in increments:
        rows = [merged[(increment.day, increment.link_id)]]
        if increment.content_id is not None:
            rows.append(through_content[(increment.day, increment.link_id, increment.content_id)])
        for row in rows:
            for name, value in increment.values.items():
                row[name] += value
    if not merged:
        return 0
    links = {
        link["id"]: link
        for link in Link.objects.filter(pk__in={key[1] for key in merged})
        .values("id", "product_id", "product__shop_id", "creator_id")
    }
    rows = []
    by_shop: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    by_product: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    by_pair: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    for (day, link_id), values in sorted(merged.items()):
        link = links[link_id]
        rows.append((day, link_id, link["product__shop_id"], link["product_id"], link["creator_id"], *_typed(values)))
        for coarse in (by_shop[(day, link["product__shop_id"])],
                       by_product[(day, link["product__shop_id"], link["product_id"])],
                       by_pair[(link["product__shop_id"], link["creator_id"], day)]):
            for name in COUNTERS:
                coarse[name] += values[name]
    # Rows go in key order, as every writer's do: two batches lock shared rows in one order.
    _upsert(DailyLinkStats, ("day", "link_id", "shop_id", "product_id", "creator_id"), "(day, link_id)", rows)
    _upsert(ShopAffiliateDaily, ("day", "shop_id"), "(shop_id, day)",
            [(day, shop, *_typed(v)) for (day, shop), v in sorted(by_shop.items())])
    _upsert(ProductAffiliateDaily, ("day", "shop_id", "product_id"), "(product_id, day)",
            [(day, shop, product, *_typed(v)) for (day, shop, product), v in sorted(by_product.items())])
    _add_to_date([(*key, *(Decimal(v[name]) if name in MONEY else int(v[name]) for name in TO_DATE))
                  for key, v in sorted(by_pair.items())])
    if through_content:
        by_content: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
        for (day, link_id, content_id), values in through_content.items():
            link = links[link_id]
            row = by_content[(day, content_id, link["product__shop_id"], link["creator_id"])]
            for name in COUNTERS:
                row[name] += values[name]
        _upsert(ContentDaily, ("day", "content_id", "shop_id", "creator_id"), "(content_id, shop_id, day)",
                [(*key, *_typed(v)) for key, v in sorted(by_content.items())])
    return len(rows)


def _typed(values: dict) -> tuple:
    return tuple(Decimal(values[name]) if name in MONEY else int(values[name]) for name in COUNTERS)


# PostgreSQL types of the key columns and counters, for the one-statement upsert.
_TYPES = {"day": "date", **dict.fromkeys(MONEY, "numeric")}


def _upsert(model, keys: tuple[str, ...], conflict: str, rows: list[tuple]) -> None:
    """Add each row's counters to its row of `model`, creating it if missing. PostgreSQL:
    one INSERT ... SELECT FROM unnest(...) ON CONFLICT DO UPDATE for all rows (keys are
    unique within `rows`); elsewhere one statement per row."""
    if not rows:
        return
    table = model._meta.db_table
    columns = (*keys, *COUNTERS)
    # Identifiers come from the model, never from input; every value is a parameter.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A counter that is zero in every row (a click batch adds no GMV, a commission
            # batch no clicks) is neither sent nor updated: a constant 0 for new rows.
            values = list(zip(*rows, strict=True))
            sent = [*range(len(keys)), *(i for i in range(len(keys), len(columns)) if any(values[i]))]
            selected = ", ".join(f"k.{columns[i]}" if i in sent else "0" for i in range(len(columns)))
            arrays = ", ".join(f"%s::{_TYPES.get(columns[i], 'bigint')}[]" for i in sent)
            updates = ", ".join(f"{columns[i]} = {table}.{columns[i]} + excluded.{columns[i]}"
                                for i in sent[len(keys):])
            sql = (f"INSERT INTO {table} ({', '.join(columns)}) SELECT {selected} "  # noqa: S608
                   f"FROM unnest({arrays}) AS k({', '.join(columns[i] for i in sent)}) "
                   f"ON CONFLICT {conflict} " + (f"DO UPDATE SET {updates}" if updates else "DO NOTHING"))
            cursor.execute(sql, [list(values[i]) for i in sent])
        else:
            updates = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in COUNTERS)
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders}) "  # noqa: S608
                               f"ON CONFLICT {conflict} DO UPDATE SET {updates}", rows)


def _add_to_date(rows: list[tuple]) -> None:
    """Add (shop, creator, day, *TO_DATE) increments, sorted and unique per key, to the
    pairs' figures to date: each increment to its day's row and to every later row.

    The pairs' ShopCreator rows are locked first, in key order, and get the increments too
    (they hold each pair's latest figures to date): a writer that makes a new day's row
    from the row before it must not miss an increment another writer is adding to that
    row, so writers of one pair take turns (they already queue on the shop's daily row).
    A day's new row starts from the pair's last row before it, then gets its share.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        _add_to_date_rowwise(rows)
        return
    columns = list(zip(*rows, strict=True))
    names = ", ".join(TO_DATE)
    # unnest() of the rows: (shop, creator, day, *TO_DATE) arrays, every value a parameter.
    arrays = ", ".join(["%s::bigint[]", "%s::bigint[]", "%s::date[]",
                        *(f"%s::{_TYPES.get(name, 'bigint')}[]" for name in TO_DATE)])
    increments = f"unnest({arrays}) AS k(shop, creator, day, {names})"
    with connection.cursor() as cursor:
        # The pairs' rows, locked in key order, with their latest figures to date.
        totals = ", ".join(f"SUM({name})" for name in TO_DATE)
        latest = ", ".join(f"{name} = p.{name} + excluded.{name}" for name in TO_DATE)
        cursor.execute(
            f"INSERT INTO tracking_shopcreator AS p (shop_id, creator_id, day, {names}) "  # noqa: S608 - our names
            f"SELECT shop, creator, MAX(day), {totals} FROM {increments} GROUP BY shop, creator ORDER BY shop, creator "
            f"ON CONFLICT (shop_id, creator_id) DO UPDATE SET day = GREATEST(p.day, excluded.day), {latest}",
            [list(column) for column in columns])
        before = ", ".join(f"COALESCE(p.{name}, 0)" for name in TO_DATE)
        cursor.execute(
            f"INSERT INTO tracking_shopcreatortodate (shop_id, creator_id, day, {names}) "  # noqa: S608
            f"SELECT k.shop, k.creator, k.day, {before} "
            "FROM unnest(%s::bigint[], %s::bigint[], %s::date[]) AS k(shop, creator, day) "
            f"LEFT JOIN LATERAL (SELECT {names} FROM tracking_shopcreatortodate t "
            "WHERE t.shop_id = k.shop AND t.creator_id = k.creator AND t.day < k.day ORDER BY t.day DESC LIMIT 1) p "
            "ON true ORDER BY 1, 2, 3 ON CONFLICT (shop_id, creator_id, day) DO NOTHING",
            [list(columns[0]), list(columns[1]), list(columns[2])])
        changes = [row for row in rows if any(row[3:])]
        if not changes:
            return
        added = ", ".join(f"{name} = t.{name} + d.{name}" for name in TO_DATE)
        sums = ", ".join(f"SUM(k.{name}) AS {name}" for name in TO_DATE)
        cursor.execute(
            f"UPDATE tracking_shopcreatortodate t SET {added} "  # noqa: S608 - our names
            f"FROM (SELECT r.id, {sums} FROM tracking_shopcreatortodate r JOIN {increments} "
            "ON r.shop_id = k.shop AND r.creator_id = k.creator AND r.day >= k.day GROUP BY r.id) d "
            "WHERE t.id = d.id",
            [list(column) for column in zip(*changes, strict=True)])


def _add_to_date_rowwise(rows: list[tuple]) -> None:
    """_add_to_date for SQLite (the embedded default): one writer at a time, row by row."""
    for shop, creator, day, *values in rows:
        latest, _ = ShopCreator.objects.get_or_create(shop_id=shop, creator_id=creator)
        ShopCreator.objects.filter(pk=latest.pk).update(day=max(latest.day or day, day), **{
            name: F(name) + value for name, value in zip(TO_DATE, values, strict=True)})
        pair = ShopCreatorToDate.objects.filter(shop_id=shop, creator_id=creator)
        if not pair.filter(day=day).exists():
            before = pair.filter(day__lt=day).order_by("-day").values(*TO_DATE).first() or {}
            ShopCreatorToDate.objects.create(shop_id=shop, creator_id=creator, day=day,
                                             **{name: before.get(name, 0) for name in TO_DATE})
        pair.filter(day__gte=day).update(**{name: F(name) + value for name, value in zip(TO_DATE, values, strict=True)})
