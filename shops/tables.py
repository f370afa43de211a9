from datetime import UTC

import django_tables2 as tables
from django.utils.html import format_html

from .exports import csv_response
from .models import Order, Product
from .money import format_money, money_cell


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


class BaseTable(tables.Table):
    """The look every table in the seller centre and creator portal shares, and its CSV."""

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}
        template_name = "django_tables2/bootstrap5-responsive.html"

    def as_csv(self, filename: str):
        """The table as the person sees it (all rows, not just this page), as CSV."""
        return csv_response(filename, self.as_values())


class ProductTable(BaseTable):
    title = tables.Column(linkify=("seller:product_edit", {"pk": tables.A("pk")}))
    status = tables.Column()
    price = MoneyColumn(currency="shop__currency")
    currency = CurrencyColumn("shop__currency")
    stock = tables.Column(default="n/a (service)")
    units_sold = tables.Column(verbose_name="Sold")
    updated_at = DateTimeColumn(verbose_name="Updated", format="Y-m-d H:i")

    class Meta(BaseTable.Meta):
        model = Product
        fields = ["title", "category", "status", "price", "currency", "stock", "units_sold", "updated_at"]
        order_by = "-updated_at"

    def render_status(self, record, value):
        css = {"live": "success", "in_review": "info", "rejected": "danger", "archived": "secondary"}.get(
            record.status, "warning")
        return format_html('<span class="badge text-bg-{}">{}</span>', css, value)


class OrderTable(BaseTable):
    number = tables.Column(linkify=("seller:order_detail", {"pk": tables.A("pk")}), verbose_name="Order")
    placed_at = DateTimeColumn(verbose_name="Placed", format="Y-m-d H:i")
    email = tables.Column(verbose_name="Buyer email")
    status = tables.Column()
    total = MoneyColumn()
    refunded = MoneyColumn(accessor="refunded_total", verbose_name="Refunded", dash_for_zero=True)
    currency = CurrencyColumn()

    class Meta(BaseTable.Meta):
        model = Order
        fields = ["number", "placed_at", "name", "email", "status", "total", "refunded", "currency"]
        order_by = "-placed_at"
