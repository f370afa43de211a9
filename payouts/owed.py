"""What a shop owes its creators now (its open commissions: pending, approved, frozen),
read from totals the database keeps instead of from the commissions themselves.

On PostgreSQL, triggers on the commission table (migration 0009) append every change of a
shop's open sums to OpenCommissionChange, whatever made it; `open_commissions_compact`
(every minute) folds the changes into OpenCommissionTotal. A shop's figure is its total
rows plus its changes not folded in yet, read in one statement (one snapshot, so a
compaction running meanwhile is seen whole or not at all). Appending never waits on
another writer, so concurrent commission batches of one shop do not queue here.

SQLite (the embedded default, one small shop floor) has no triggers: it sums the
commissions.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, Sum

from shops.models import Shop

from .models import OPEN_STATUSES, Commission, OpenCommissionChange, OpenCommissionTotal


def open_commissions_owed(*, shop: Shop) -> dict[str, Decimal]:
    """status -> SUM(amount - clawed_back) of the shop's open commissions (every currency)."""
    owed: dict[str, Decimal] = defaultdict(Decimal)
    if connection.vendor == "postgresql":
        rows = (OpenCommissionTotal.objects.filter(shop=shop).values_list("status", "amount").order_by()
                .union(OpenCommissionChange.objects.filter(shop=shop).values_list("status", "amount").order_by(),
                       all=True))
    else:
        rows = (Commission.objects.filter(shop=shop, status__in=OPEN_STATUSES).values("status")
                .annotate(total=Sum(F("amount") - F("clawed_back"))).values_list("status", "total").order_by())
    for status, amount in rows:
        owed[status] += amount
    return dict(owed)


def open_commissions_compact() -> int:
    """Fold the changes appended so far into the totals; returns how many totals moved.

    Safe to run twice at once: a change row is deleted (and counted) by one of them only.
    """
    if connection.vendor != "postgresql":
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"WITH moved AS (DELETE FROM {OpenCommissionChange._meta.db_table} "  # noqa: S608 - our identifiers
            "RETURNING shop_id, currency, status, amount) "
            f"INSERT INTO {OpenCommissionTotal._meta.db_table} AS t (shop_id, currency, status, amount) "
            "SELECT shop_id, currency, status, SUM(amount) FROM moved GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 "
            "ON CONFLICT (shop_id, currency, status) DO UPDATE SET amount = t.amount + excluded.amount")
        return cursor.rowcount
