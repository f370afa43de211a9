"""The tables every list in the seller centre, creator portal and ops pages is built on:
one look, one CSV export in which money is a number with its currency and times are UTC."""

import functools
from datetime import UTC

import django_tables2 as tables
from django_tables2 import utils as tables_utils
from django_tables2.data import TableData, TableListData, TableQuerysetData

from .exports import csv_response
from .money import format_money, money_cell

_signature = tables_utils.signature


@functools.lru_cache(maxsize=1024)
def _method_signature(function) -> tuple:
    args, keywords = _signature(function)
    return args[1:], keywords  # a method's signature without `self`, as tables2 reads a bound one


def _cached_signature(fn) -> tuple:
    """django-tables2 works out a cell's render method's parameters with inspect.signature
    for every cell, about a fifth of a table's rendering; a method's parameters do not
    change, so they are worked out once per function (as Django does, django/django#13151)."""
    function = getattr(fn, "__func__", None)
    return _signature(fn) if function is None else _method_signature(function)


tables_utils.signature = _cached_signature  # call_with_appropriate looks it up per call


class CountColumn(tables.Column):
    """A whole number, written as the template would write it ("12345"), but without its
    localisation round per cell (four settings and the active language, read each time: a
    quarter of a 20-row report's render)."""

    def render(self, value):
        return str(value)


class MoneyColumn(tables.Column):
    """Money: shown as people read it ($12.50, ¥1,200), exported as a number in the
    currency's minor unit (12.50, 1200) so a spreadsheet sums it. `currency` is the
    accessor of the row's currency; tables with money export a Currency column too."""

    def __init__(self, *args, currency: str = "currency", dash_for_zero: bool = False, **kwargs):
        self.currency, self.dash_for_zero = tables.A(currency), dash_for_zero
        kwargs.setdefault("attrs", {"th": {"class": "text-end"}, "td": {"class": "text-end text-nowrap"}})
        super().__init__(*args, **kwargs)

    def render(self, value, record):
        if self.dash_for_zero and not value:
            return "—"
        return format_money(value or 0, self.currency.resolve(record))

    def value(self, value, record):
        return money_cell(value, self.currency.resolve(record))


class CurrencyColumn(tables.Column):
    """The currency beside exported amounts; the page shows it in each amount instead."""

    def __init__(self, accessor: str = "currency", **kwargs):
        super().__init__(accessor=accessor, verbose_name="Currency", visible=False, orderable=False, **kwargs)

    def value(self, record, **kwargs):
        return self.accessor.resolve(record)  # the code (JPY), not the choice's label


class DateTimeColumn(tables.DateTimeColumn):
    """A moment: shown in the page's format, exported in UTC without fractions of a second."""

    def value(self, value, **kwargs):
        return value


class DayColumn(tables.DateTimeColumn):
    """A moment shown and exported as its day (UTC)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", "Y-m-d")
        super().__init__(*args, **kwargs)

    def value(self, value, **kwargs):
        return value.astimezone(UTC).date() if value else None


def _reader(name: str):
    """A function reading a column's value from a row, as tables2's Accessor would."""
    accessor = tables.A(name)
    if "__" in name or "." in name:
        return lambda row: accessor.resolve(row, quiet=True)
    return lambda row: row.get(name) if type(row) is dict else accessor.resolve(row, quiet=True)


class _ListData(TableListData):
    """Rows given as a list, ordered with plain sort keys: each row's value read once per
    key, then one stable sort per key from the least significant. tables2's own ordering
    looks both values up through accessors in every comparison (a millisecond for 500
    rows); it still orders what does not compare (None beside a number, mixed types)."""

    def order_by(self, aliases):
        keys = []
        for alias in aliases:  # as tables2 reads the aliases
            bound = self.table.columns[tables_utils.OrderBy(alias).bare]
            keys += bound.order_by.opposite if alias[0] != bound.order_by_alias[0] else bound.order_by
        rows = list(self.data)
        try:
            for key in reversed(keys):
                rows.sort(key=_reader(key.bare), reverse=key.is_descending)
        except TypeError:
            super().order_by(aliases)
            return
        self.data[:] = rows


class BaseTable(tables.Table):
    """The look every table in the seller centre and creator portal shares, and its CSV.

    On a phone each row becomes a card (static/css/site.css, `.table-stack`): `phone_title`
    (a column name; by default the first column) is its title, `phone_key` the figure shown
    right under it, and every other cell is labelled with its column's name, so nothing
    scrolls sideways.
    """

    phone_title: str | None = None
    phone_key: str | None = None

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle table-stack"}
        template_name = "django_tables2/kinship.html"

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not isinstance(data, TableData) and not TableQuerysetData.validate(data):
            data = _ListData(list(data))
        super().__init__(data, *args, **kwargs)
        # Each column's own cell class; the phone role is added to it when the table renders.
        self._own_td_class = {bound.name: bound.column.attrs.get("td", {}).get("class", "")
                              for bound in self.columns.iterall()}

    def before_render(self, request):
        """Label every cell with its column's name and give it its phone role, once per
        column, now that the visible columns are known (both ways of rendering a table call
        this; attribute functions would run again for every cell)."""
        super().before_render(request)
        for bound in self.columns.iterall():
            own = self._own_td_class.get(bound.name, "")
            td = {**bound.column.attrs.get("td", {}), "data-label": str(bound.verbose_name),
                  "class": " ".join(filter(None, [own, self.phone_role(bound)])) or None}
            bound.column.attrs = {**bound.column.attrs, "td": td}
            bound.td_html = bound.attrs["td"].as_html()  # the same for every cell: no attribute is a function

    def phone_role(self, bound_column) -> str:
        """On a phone: phone_title (else the first column, a check box aside) is the row's
        title, phone_key its key figure."""
        if bound_column.name == self.phone_key:
            return "cell-key"
        title = self.phone_title or next((column.name for column in self.columns  # the visible ones
                                          if not isinstance(column.column, tables.CheckBoxColumn)), None)
        return "cell-title" if bound_column.name == title else ""

    def as_csv(self, filename: str):
        """The table as the person sees it (all rows, not just this page), as CSV."""
        return csv_response(filename, self.as_values())
