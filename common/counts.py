"""Several counts in one statement: a page's to-do panel asks the database once."""

from django.db import connections
from django.db.models import QuerySet


def count_each(querysets: dict[str, QuerySet]) -> dict[str, int]:
    """name -> how many rows each queryset has, read in one statement: each queryset's own
    SQL (every value a parameter) as a scalar subquery. All of them are read from the
    database the first one would be read from."""
    if not querysets:
        return {}
    parts = [rows.order_by().values("pk").query.sql_with_params() for rows in querysets.values()]
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM ({query}) c{i})"  # noqa: S608 - the ORM's own SQL
                                for i, (query, _) in enumerate(parts))
    with connections[next(iter(querysets.values())).db].cursor() as cursor:
        cursor.execute(sql, [param for _, params in parts for param in params])
        return dict(zip(querysets, cursor.fetchone(), strict=True))
