"""Monthly partitions of the click table, on PostgreSQL's declarative partitioning.

`tracking_click` is partitioned by range of `at`: one partition per calendar month
(`tracking_click_y2026m12`), plus a default partition that catches a click outside every
month made so far, so no insert ever fails for want of a partition. A daily task makes the
months ahead (`partitions_ensure`); retention drops whole months (`partitions_drop_before`)
instead of deleting rows. The primary key is (id, at): PostgreSQL requires the partition
key in every unique constraint, and a click's id and time travel together from the
redirect, so (id, at) is as unique as the id.

SQLite (the embedded default) keeps a plain table; every function here is a no-op there.
"""

import re
from datetime import UTC, date, datetime

from django.db import connection, transaction

TABLE = "tracking_click"
DEFAULT = f"{TABLE}_default"
_NAME = re.compile(rf"^{TABLE}_y(\d{{4}})m(\d{{2}})$")
# Months made ahead of today, by the migration and the daily task.
MONTHS_AHEAD = 3
# Two beat runs, or a run and the migration, never make the same month at once.
_LOCK_KEY = 7_202_612


def _first_of_month(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    """The first day of the month after `month`'s."""
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _name(month: date) -> str:
    return f"{TABLE}_y{month.year:04d}m{month.month:02d}"


def _bound(month: date) -> str:
    return datetime(month.year, month.month, 1, tzinfo=UTC).isoformat()


def is_partitioned(using=connection) -> bool:
    if using.vendor != "postgresql":
        return False
    with using.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
        row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def months(using=connection) -> list[date]:
    """The months that have a partition, oldest first."""
    with using.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                       "WHERE i.inhparent = to_regclass(%s)", [TABLE])
        names = [name for (name,) in cursor.fetchall()]
    return sorted(date(int(m[1]), int(m[2]), 1) for m in map(_NAME.match, names) if m)


def _create_month(cursor, month: date) -> None:
    """Make one month's partition. Rows of that month already in the default partition move
    into it first, so attaching never fails on them."""
    name, low, high = _name(month), _bound(month), _bound(next_month(month))
    cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS)")
    cursor.execute(
        f"WITH moved AS (DELETE FROM {DEFAULT} WHERE at >= %s AND at < %s RETURNING *) "  # noqa: S608 - our names
        f"INSERT INTO {name} SELECT * FROM moved", [low, high])
    cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES FROM (%s) TO (%s)", [low, high])


def partitions_ensure(*, start: date, end: date, using=connection) -> list[str]:
    """Make every month's partition from `start`'s month to `end`'s month that is missing.
    Returns the names made. Idempotent; safe to run from several processes."""
    if not is_partitioned(using):
        return []
    made = []
    with transaction.atomic(using=using.alias), using.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        have = set(months(using))
        month = _first_of_month(start)
        while month <= end:
            if month not in have:
                _create_month(cursor, month)
                made.append(_name(month))
            month = next_month(month)
    return made


def partitions_drop_before(cutoff: datetime, using=connection) -> tuple[int, int]:
    """Drop every month that ends on or before `cutoff` (detach, then drop: no row-by-row
    delete, no table bloat), and delete the few default-partition rows older than it.
    Returns (months dropped, clicks removed)."""
    if not is_partitioned(using):
        return 0, 0
    dropped = removed = 0
    with transaction.atomic(using=using.alias), using.cursor() as cursor:
        # Clicks inserted earlier in the same transaction have their (deferred) link check
        # pending, and PostgreSQL drops no table with pending checks: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        for month in months(using):
            if datetime.fromisoformat(_bound(next_month(month))) > cutoff:
                break
            name = _name(month)
            cursor.execute(f"SELECT count(*) FROM {name}")  # noqa: S608 - our name
            removed += cursor.fetchone()[0]
            cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {name}")
            cursor.execute(f"DROP TABLE {name}")
            dropped += 1
        cursor.execute(f"DELETE FROM {DEFAULT} WHERE at < %s", [cutoff])  # noqa: S608 - our name
        removed += cursor.rowcount
    return dropped, removed


# --------------------------------------------------------------------------------------
# The conversion of a plain table (migration 0008), both ways
# --------------------------------------------------------------------------------------

def _indexes_and_foreign_keys(cursor, table: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    cursor.execute("SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                   "WHERE x.indrelid = to_regclass(%s) AND NOT x.indisprimary", [table])
    indexes = cursor.fetchall()
    cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                   "WHERE conrelid = to_regclass(%s) AND contype = 'f'", [table])
    return indexes, cursor.fetchall()


def _move_table(cursor, *, partitioned: bool) -> None:
    """Rebuild `tracking_click` as a partitioned table (or back to a plain one) with the
    same columns, indexes and foreign keys, and copy its rows over."""
    old = f"{TABLE}_old"
    indexes, foreign_keys = _indexes_and_foreign_keys(cursor, TABLE)
    cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
    cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {old}")
    for name, _ in indexes:
        cursor.execute(f'ALTER INDEX "{name}" RENAME TO "{name[:55]}_old"')
    for name, _ in foreign_keys:
        cursor.execute(f'ALTER TABLE {old} DROP CONSTRAINT "{name}"')
    cursor.execute(f"ALTER TABLE {old} DROP CONSTRAINT IF EXISTS {TABLE}_pkey")
    by = " PARTITION BY RANGE (at)" if partitioned else ""
    cursor.execute(f"CREATE TABLE {TABLE} (LIKE {old} INCLUDING DEFAULTS){by}")
    key = "(id, at)" if partitioned else "(id)"
    cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY {key}")
    if partitioned:
        cursor.execute(f"CREATE TABLE {DEFAULT} PARTITION OF {TABLE} DEFAULT")
        cursor.execute(f"SELECT min(at), max(at) FROM {old}")  # noqa: S608 - our name
        low, high = cursor.fetchone()
        today = datetime.now(UTC).date()
        month = _first_of_month(min(low.date(), today) if low else today)
        end = max(high.date(), today) if high else today
        for _ in range(MONTHS_AHEAD):
            end = next_month(end)
        while month <= end:
            name, start, stop = _name(month), _bound(month), _bound(next_month(month))
            cursor.execute(f"CREATE TABLE {name} PARTITION OF {TABLE} FOR VALUES FROM (%s) TO (%s)", [start, stop])
            month = next_month(month)
    for _, definition in indexes:
        cursor.execute(re.sub(r" ON (ONLY )?\S+ ", f" ON {TABLE} ", definition, count=1))
    for name, definition in foreign_keys:
        cursor.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {definition}')
    cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {old}")  # noqa: S608 - our names
    cursor.execute(f"DROP TABLE {old}")


def partition_table(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql" and not is_partitioned(schema_editor.connection):
        with schema_editor.connection.cursor() as cursor:
            _move_table(cursor, partitioned=True)


def unpartition_table(apps, schema_editor):
    if is_partitioned(schema_editor.connection):
        with schema_editor.connection.cursor() as cursor:
            _move_table(cursor, partitioned=False)
