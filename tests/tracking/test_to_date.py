"""The shop-and-creator figures to date (ShopCreatorToDate) behind the creator ranking: kept
by every rollup writer, always the running sums of DailyLinkStats, and the ranking read from
them equals the one summed from the daily rows."""

import importlib
import random
import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection, transaction
from django.db.models import F, Sum
from django.utils import timezone

from tests.factories import CreatorFactory, LinkFactory, ProductFactory
from tracking import selectors
from tracking.models import DailyLinkStats, ShopCreator, ShopCreatorToDate
from tracking.periods import Period
from tracking.rollups import Increment, rollup_add

TODAY = timezone.now().date()


def _expected_to_date() -> dict[tuple, tuple]:
    """(shop, creator, day) -> the sums of DailyLinkStats up to that day, for every day the pair has a row."""
    days = (DailyLinkStats.objects.values_list("shop_id", "creator_id", "day")
            .annotate(clicks=Sum("clicks"), unique_clicks=Sum("unique_clicks"), orders=Sum("orders"), gmv=Sum("gmv"),
                      commission=Sum("commission"))
            .order_by("shop_id", "creator_id", "day"))
    expected, running = {}, {}
    for shop, creator, day, *values in days:
        before = running.get((shop, creator), (0, 0, 0, Decimal(0), Decimal(0)))
        running[(shop, creator)] = tuple(a + b for a, b in zip(before, values, strict=True))
        expected[(shop, creator, day)] = running[(shop, creator)]
    return expected


def _latest_on_pairs() -> None:
    """Each pair's row holds its latest figures to date: those of its last row to date."""
    for pair in ShopCreator.objects.all():
        last = (ShopCreatorToDate.objects.filter(shop_id=pair.shop_id, creator_id=pair.creator_id).order_by("-day")
                .values_list("day", "clicks", "unique_clicks", "orders", "gmv", "commission").first())
        assert (pair.day, pair.clicks, pair.unique_clicks, pair.orders, pair.gmv, pair.commission) == (
            last or (None, 0, 0, 0, 0, 0))


def _to_date() -> dict[tuple, tuple]:
    return {(shop, creator, day): tuple(values) for shop, creator, day, *values in ShopCreatorToDate.objects
            .values_list("shop_id", "creator_id", "day", "clicks", "unique_clicks", "orders", "gmv", "commission")}


@pytest.fixture
def links():
    """Two shops; three creators, one of them promoting both shops, one with two links in a shop."""
    first, second = ProductFactory(), ProductFactory()
    both, other, third = CreatorFactory(), CreatorFactory(), CreatorFactory()
    return [LinkFactory(product=first, creator=both), LinkFactory(product=second, creator=both),
            LinkFactory(product=first, creator=other), LinkFactory(product=ProductFactory(shop=first.shop),
                                                                   creator=other),
            LinkFactory(product=second, creator=third)]


@pytest.mark.django_db
def test_every_writer_keeps_the_running_sums_of_the_daily_rows(links):
    chance = random.Random(7)  # noqa: S311 - test data
    for _ in range(30):  # clicks today, orders and commissions on past days, refunds taking some back
        batch = []
        for _ in range(chance.randint(1, 6)):
            link, day = chance.choice(links), TODAY - timedelta(days=chance.randint(0, 40))
            values = chance.choice([{"clicks": 1, "unique_clicks": 1}, {"flagged_clicks": 1},
                                    {"orders": 1, "items": 2, "gmv": Decimal("19.90")},
                                    {"commission": Decimal("1.99")}])
            batch.append(Increment(day=day, link_id=link.pk, values=values))
        rollup_add(batch)
    # A refund takes back part of an old day's GMV and commission after later days exist.
    old = DailyLinkStats.objects.filter(gmv__gt=0).order_by("day").first()
    rollup_add([Increment(day=old.day, link_id=old.link_id, values={"gmv": Decimal("-5.00"),
                                                                    "commission": Decimal("-0.50")})])

    assert _to_date() == _expected_to_date()
    _latest_on_pairs()
    assert set(ShopCreator.objects.values_list("shop_id", "creator_id")) == set(
        DailyLinkStats.objects.values_list("shop_id", "creator_id").distinct())


@pytest.mark.django_db
def test_the_ranking_from_figures_to_date_equals_the_ranking_from_the_days(links):
    chance = random.Random(11)  # noqa: S311 - test data
    rollup_add([Increment(day=TODAY - timedelta(days=chance.randint(0, 120)), link_id=chance.choice(links).pk,
                          values={"clicks": chance.randint(1, 9), "orders": chance.randint(0, 2),
                                  "gmv": Decimal(chance.randint(0, 9000)) / 100,
                                  "commission": Decimal(chance.randint(0, 900)) / 100})
                for _ in range(200)])
    shops = {link.product.shop for link in links}
    periods = [Period(TODAY - timedelta(days=days - 1), TODAY) for days in (1, 7, 30, 90)]
    periods += [Period(TODAY - timedelta(days=60), TODAY - timedelta(days=45)), Period(TODAY, TODAY)]
    for shop in shops:
        for period in periods:
            ranking = selectors.creator_ranking(shop=shop, period=period)
            expected = selectors._creator_ranking_from_days(shop=shop, period=period, limit=5)
            assert ranking == expected, (shop, period)
    assert any(selectors.creator_ranking(shop=shop, period=periods[2]).active_before for shop in shops)


@pytest.mark.django_db
def test_the_performance_by_creator_from_figures_to_date_equals_the_sums_of_the_days(links):
    chance = random.Random(13)  # noqa: S311 - test data
    rollup_add([Increment(day=TODAY - timedelta(days=chance.randint(0, 120)), link_id=chance.choice(links).pk,
                          values={"clicks": (clicks := chance.randint(1, 9)),
                                  "unique_clicks": chance.randint(0, clicks),
                                  "orders": chance.randint(0, 2), "gmv": Decimal(chance.randint(-900, 9000)) / 100,
                                  "commission": Decimal(chance.randint(0, 900)) / 100})
                for _ in range(300)])
    fields = ("creator_handle", "clicks", "unique_clicks", "orders", "gmv", "commission")
    periods = [Period(TODAY - timedelta(days=days - 1), TODAY) for days in (1, 7, 30, 90)]
    periods += [Period(TODAY - timedelta(days=60), TODAY - timedelta(days=45)), Period(TODAY, TODAY)]
    compared = 0
    for shop in {link.product.shop for link in links}:
        for period in periods:
            rows = selectors.creator_figures(shop=shop, period=period)
            days = (DailyLinkStats.objects.filter(shop=shop, day__range=(period.start, period.end))
                    .values(creator_handle=F("creator__handle"))
                    .annotate(**{name: Sum(name) for name in fields[1:]}))
            assert sorted(tuple(row[f] for f in fields) for row in rows) == sorted(
                tuple(row[f] for f in fields) for row in days), (shop, period)
            assert [row["gmv"] for row in rows] == sorted((row["gmv"] for row in rows), reverse=True)
            compared += len(rows)
    assert compared > 10


@pytest.mark.django_db
def test_a_creator_without_rows_in_the_period_is_not_ranked(links):
    link = links[0]
    rollup_add([Increment(day=TODAY - timedelta(days=50), link_id=link.pk, values={"clicks": 3, "gmv": Decimal(9)})])
    ranking = selectors.creator_ranking(shop=link.product.shop, period=Period(TODAY - timedelta(days=29), TODAY))
    assert ranking.top == [] and ranking.active == 0 and ranking.active_before == 1


@pytest.mark.django_db
def test_the_migration_backfills_the_figures_to_date(links):
    rollup_add([Increment(day=TODAY - timedelta(days=n % 9), link_id=links[n % len(links)].pk,
                          values={"clicks": n, "unique_clicks": n // 2, "gmv": Decimal(n)}) for n in range(40)])
    expected = _to_date()
    ShopCreatorToDate.objects.all().delete()
    ShopCreator.objects.all().delete()
    migration = importlib.import_module("tracking.migrations.0011_shop_creator_to_date")
    migration.backfill(None, connection.schema_editor())
    importlib.import_module("tracking.migrations.0012_shop_creator_latest").backfill(None, connection.schema_editor())
    importlib.import_module("tracking.migrations.0013_unique_clicks_to_date").backfill(None, connection.schema_editor())
    assert _to_date() == expected
    _latest_on_pairs()
    assert ShopCreator.objects.exclude(day=None).count() == ShopCreator.objects.count() > 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite has one writer at a time")
def test_a_new_days_row_waits_for_a_writer_still_adding_to_the_day_before(links):
    """Writer A adds to yesterday's row and has not committed; writer B makes today's row,
    which starts from yesterday's. B must wait for A, or today's row misses A's click."""
    link = links[0]
    rollup_add([Increment(day=TODAY - timedelta(days=1), link_id=link.pk, values={"clicks": 1})])
    a_added = threading.Event()

    def writer_a():
        with transaction.atomic():
            rollup_add([Increment(day=TODAY - timedelta(days=1), link_id=link.pk, values={"clicks": 10})])
            a_added.set()
            time.sleep(0.5)
        close_old_connections()

    def writer_b():
        a_added.wait(5)
        rollup_add([Increment(day=TODAY, link_id=link.pk, values={"clicks": 100})])
        close_old_connections()

    threads = [threading.Thread(target=writer_a), threading.Thread(target=writer_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    rows = dict(ShopCreatorToDate.objects.filter(creator=link.creator, shop=link.product.shop)
                .values_list("day", "clicks"))
    assert rows == {TODAY - timedelta(days=1): 11, TODAY: 111}
