"""`field__any_of=values`: an IN for long lists of values.

Django writes `IN (%s, %s, ...)` with a placeholder per value, and prepares and adapts each
value on its own: for the thousands of ids a click or commission batch looks up, that
costs more than the query. On PostgreSQL `any_of` sends the values as one array
parameter (`= ANY(%s)`); elsewhere it is an ordinary IN. The values must already be of
the column's Python type (ints, strings, UUIDs): they are not prepared one by one.
"""

from django.db.models import Field, ForeignObject, Lookup
from django.db.models.lookups import In


@Field.register_lookup
@ForeignObject.register_lookup  # foreign keys keep lookups of their own: values are ids here
class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return list(self.rhs)

    def as_sql(self, compiler, connection):
        if connection.vendor != "postgresql":
            return In(self.lhs, self.rhs).as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, self.rhs)
