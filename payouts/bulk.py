"""Fast inserts for commission batches and their audit entries.

On PostgreSQL, one `INSERT ... SELECT unnest(...) ON CONFLICT DO NOTHING RETURNING` that
also writes the audit entries of the rows it inserted: a few milliseconds for thousands
of rows, and RETURNING says exactly which rows this call created (a parallel call's
conflicting rows are not returned). Elsewhere (SQLite, the embedded default), Django's
bulk_create with a batch id does the same job.
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


def insert_commissions(rows: list[dict], *, reason: str) -> list[dict]:
    """Insert the commissions (field dicts, all with the same batch id and created_at) that
    do not exist yet, each with its audit entry (computed, its amount, `reason`); return the
    created ones as dicts with pk, status, amount, link_id and order_id.

    PostgreSQL: one statement, the audit entries made from the inserted rows themselves.
    """
    if not rows:
        return []
    returned = ("pk", "status", "amount", "link_id", "order_id")
    if connection.vendor == "postgresql":
        names = ", ".join(name for name, _ in COMMISSION_COLUMNS)
        arrays = ", ".join(f"%s::{kind}[]" for _, kind in COMMISSION_COLUMNS)
        sql = (f"WITH made AS (INSERT INTO {Commission._meta.db_table} ({names}) "  # noqa: S608 - identifiers are ours
               f"SELECT * FROM unnest({arrays}) ON CONFLICT (order_line_id) DO NOTHING "
               "RETURNING id, status, amount, link_id, order_id, created_at), "
               f"audit AS (INSERT INTO {AuditEntry._meta.db_table} (content_type_id, object_id, from_status, "
               "to_status, amount_change, reason, at) SELECT %s, id, '', status, amount, %s, created_at FROM made) "
               "SELECT id, status, amount, link_id, order_id FROM made")
        columns = [[row[name] for row in rows] for name, _ in COMMISSION_COLUMNS]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*columns, ContentType.objects.get_for_model(Commission).pk, reason])
            return [dict(zip(returned, row, strict=True)) for row in cursor.fetchall()]
    Commission.objects.bulk_create([Commission(**row) for row in rows], ignore_conflicts=True, batch_size=2000)
    # Lines that had a commission already keep theirs (another batch id): not this call's.
    made = list(Commission.objects.filter(order_line_id__in=[row["order_line_id"] for row in rows],
                                          batch=rows[0]["batch"]).values(*returned))
    record_many(Commission, [{"object_id": c["pk"], "from_status": "", "to_status": c["status"],
                              "amount_change": c["amount"], "reason": reason, "at": rows[0]["created_at"]}
                             for c in made])
    return made
