"""Fast inserts for commission batches and their audit entries.

On PostgreSQL, one `INSERT ... SELECT unnest(...) ON CONFLICT DO NOTHING RETURNING` per
table: a few milliseconds for thousands of rows, and RETURNING says exactly which rows
this call created (a parallel call's conflicting rows are not returned). Elsewhere
(SQLite, the embedded default), Django's bulk_create with a batch id does the same job.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from common.models import AuditEntry
from common.transitions import record_many

from .models import Commission

COMMISSION_COLUMNS = [
    ("order_line_id", "bigint"), ("order_id", "bigint"), ("shop_id", "bigint"), ("creator_id", "bigint"),
    ("link_id", "bigint"), ("currency", "text"), ("base", "numeric"), ("refunded_base", "numeric"),
    ("rate", "numeric"), ("rate_source", "text"), ("rate_reason", "text"), ("protected_until", "timestamptz"),
    ("amount", "numeric"),
    ("clawed_back", "numeric"), ("status", "text"), ("hold_until", "timestamptz"), ("created_at", "timestamptz"),
    ("batch", "uuid"),
]
AUDIT_COLUMNS = [("content_type_id", "integer"), ("object_id", "bigint"), ("from_status", "text"),
                 ("to_status", "text"), ("amount_change", "numeric"), ("reason", "text"), ("at", "timestamptz")]


def _unnest_insert(table: str, columns: list[tuple[str, str]], rows: list[tuple], *, conflict: str,
                   returning: str) -> list[tuple]:
    names = ", ".join(name for name, _ in columns)
    arrays = ", ".join(f"%s::{kind}[]" for _, kind in columns)
    sql = (f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}) "  # noqa: S608 - identifiers are ours
           f"{conflict} RETURNING {returning}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])
        return cursor.fetchall()


def insert_commissions(rows: list[dict]) -> list[dict]:
    """Insert the commissions (field dicts, all with the same batch id) that do not exist
    yet; return the created ones as dicts with pk, status, amount, link_id and order_id."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        created = _unnest_insert(Commission._meta.db_table, COMMISSION_COLUMNS,
                                 [tuple(row[name] for name, _ in COMMISSION_COLUMNS) for row in rows],
                                 conflict="ON CONFLICT (order_line_id) DO NOTHING",
                                 returning="id, status, amount, link_id, order_id")
        return [dict(zip(("pk", "status", "amount", "link_id", "order_id"), row, strict=True)) for row in created]
    Commission.objects.bulk_create([Commission(**row) for row in rows], ignore_conflicts=True, batch_size=2000)
    return list(Commission.objects.filter(batch=rows[0]["batch"]).values("pk", "status", "amount", "link_id",
                                                                          "order_id"))


def insert_audit_entries(rows: list[dict]) -> None:
    """The audit entries of commissions just made (object_id, from/to status, amount_change,
    reason, at), in one statement on PostgreSQL."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        content_type = ContentType.objects.get_for_model(Commission).pk
        _unnest_insert(AuditEntry._meta.db_table, AUDIT_COLUMNS,
                       [(content_type, *(row[name] for name, _ in AUDIT_COLUMNS[1:])) for row in rows], conflict="",
                       returning="id")
        return
    record_many(Commission, rows)
