"""Clicks partitioned by month on PostgreSQL: the migration converts a table with rows,
each click lands in its month, months ahead are made by a task, retention drops months."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import LinkFactory
from tracking import partitions, services, tasks
from tracking.clicks import ClickData, clicks_store
from tracking.models import Click, DailyLinkStats

pytestmark = [pytest.mark.postgres]
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


def _store(link, at: datetime, click_id: str | None = None) -> int:
    return clicks_store([ClickData(id=click_id or uuid.uuid4().hex, link_id=link.pk, at=at.timestamp(),
                                   visitor_id=uuid.uuid4().hex, ip_hash="h", user_agent=CHROME, referrer="",
                                   is_bot=False, is_prefetch=False)])


def _partition_of(click_id) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM tracking_click WHERE id = %s", [click_id])
        return cursor.fetchone()[0]


def _tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relname LIKE 'tracking_click%%' AND relkind IN ('r', 'p')")
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.django_db
def test_the_click_table_is_partitioned_and_each_click_lands_in_its_month():
    assert partitions.is_partitioned()
    link = LinkFactory()
    now = timezone.now()
    assert _store(link, now, "a" * 32) == 1
    assert _partition_of(uuid.UUID("a" * 32)) == f"tracking_click_y{now:%Y}m{now:%m}"
    # The same click again (a redelivered stream entry) is stored once.
    assert _store(link, now, "a" * 32) == 0
    assert Click.objects.filter(pk="a" * 32).count() == 1


@pytest.mark.django_db
def test_a_click_outside_every_month_waits_in_the_default_partition_until_its_month_is_made():
    link = LinkFactory()
    far = datetime(2031, 5, 17, 12, tzinfo=UTC)
    assert _store(link, far, "b" * 32) == 1
    assert _partition_of(uuid.UUID("b" * 32)) == "tracking_click_default"
    assert services.click_partitions_make(now=far, ahead=1) == ["tracking_click_y2031m05", "tracking_click_y2031m06"]
    assert _partition_of(uuid.UUID("b" * 32)) == "tracking_click_y2031m05"
    assert services.click_partitions_make(now=far, ahead=1) == []  # idempotent
    assert Click.objects.get(pk="b" * 32).link == link


@pytest.mark.django_db
def test_the_daily_task_makes_three_months_ahead():
    tasks.make_click_partitions.delay()
    month = timezone.now().date().replace(day=1)
    for _ in range(4):
        assert f"tracking_click_y{month:%Y}m{month:%m}" in _tables()
        month = (month + timedelta(days=32)).replace(day=1)


@pytest.mark.django_db
def test_retention_drops_whole_months_and_keeps_rollups(settings):
    settings.TRACKING_CLICK_RETENTION_DAYS = 180
    link = LinkFactory()
    now = timezone.now()
    gone, partly, kept = now - timedelta(days=260), now - timedelta(days=181), now - timedelta(days=1)
    partitions.partitions_ensure(start=gone.date(), end=now.date())
    for at in (gone, partly, kept):
        _store(link, at)
    gone_month = f"tracking_click_y{gone:%Y}m{gone:%m}"
    assert gone_month in _tables()

    assert services.clicks_prune() == 1
    # The month of `gone` is past retention as a whole: dropped, not deleted row by row.
    assert gone_month not in _tables()
    # `partly`'s month still holds days inside retention: it stays until all of it is past.
    assert set(Click.objects.values_list("at", flat=True)) == {partly, kept}
    assert DailyLinkStats.objects.get(day=gone.date()).clicks == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_converts_a_plain_table_with_its_rows_and_back():
    link = LinkFactory()
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([("tracking", "0007_content_and_codes")])
    assert not partitions.is_partitioned()
    at = [datetime(2025, 1, 31, 23, 59, tzinfo=UTC), datetime(2025, 2, 1, tzinfo=UTC), timezone.now()]
    ids = [uuid.uuid4() for _ in at]
    with connection.cursor() as cursor:
        for pk, when in zip(ids, at, strict=True):
            cursor.execute("INSERT INTO tracking_click (id, link_id, at, visitor_id, ip_hash, user_agent, referrer, "
                           "is_bot, is_prefetch, is_duplicate, is_burst) VALUES (%s, %s, %s, 'v', 'h', '', '', "
                           "false, false, false, false)", [pk, link.pk, when])

    executor = MigrationExecutor(connection)
    executor.migrate([("tracking", "0008_partition_clicks_by_month")])
    try:
        _check_partitioned_table_with(ids, link)
    finally:
        MigrationExecutor(connection).migrate(latest)  # the next tests need every migration


def _check_partitioned_table_with(ids, link):
    assert partitions.is_partitioned()
    assert [_partition_of(pk) for pk in ids[:2]] == ["tracking_click_y2025m01", "tracking_click_y2025m02"]
    assert set(Click.objects.values_list("pk", flat=True)) == set(ids)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'tracking_click'")
        indexes = {name for (name,) in cursor.fetchall()}
        cursor.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = 'tracking_click'::regclass")
        constraints = {definition for (definition,) in cursor.fetchall()}
    assert {"click_link_at", "click_visitor_link_at", "click_ip_at", "click_at", "tracking_click_pkey"} <= indexes
    assert "PRIMARY KEY (id, at)" in constraints
    assert any(c.startswith("FOREIGN KEY (link_id) REFERENCES tracking_link(id)") for c in constraints)
    # The foreign key still holds on the partitioned table.
    with pytest.raises(Exception, match="foreign key"), connection.cursor() as cursor:
        cursor.execute("INSERT INTO tracking_click (id, link_id, at, visitor_id, ip_hash, user_agent, referrer, "
                       "is_bot, is_prefetch, is_duplicate, is_burst) VALUES (%s, 999999999, now(), 'v', 'h', '', '', "
                       "false, false, false, false)", [uuid.uuid4()])
