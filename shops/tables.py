import django_tables2 as tables
from django.utils.html import format_html

from .exports import csv_response
from .models import Order, Product


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
    price = tables.Column(accessor="price_display", order_by="price")
    stock = tables.Column(default="n/a (service)")
    units_sold = tables.Column(verbose_name="Sold")
    updated_at = tables.DateTimeColumn(verbose_name="Updated", format="Y-m-d H:i")

    class Meta(BaseTable.Meta):
        model = Product
        fields = ["title", "category", "status", "price", "stock", "units_sold", "updated_at"]
        order_by = "-updated_at"

    def render_status(self, record, value):
        css = {"live": "success", "in_review": "info", "rejected": "danger", "archived": "secondary"}.get(
            record.status, "warning")
        return format_html('<span class="badge text-bg-{}">{}</span>', css, value)


class OrderTable(BaseTable):
    number = tables.Column(linkify=("seller:order_detail", {"pk": tables.A("pk")}), verbose_name="Order")
    placed_at = tables.DateTimeColumn(verbose_name="Placed", format="Y-m-d H:i")
    email = tables.Column(verbose_name="Buyer email")
    status = tables.Column()
    total = tables.Column(accessor="total_display", order_by="total")
    refunded = tables.Column(accessor="refunded_total", verbose_name="Refunded")

    class Meta(BaseTable.Meta):
        model = Order
        fields = ["number", "placed_at", "name", "email", "status", "total", "refunded"]
        order_by = "-placed_at"

    def render_refunded(self, record, value):
        return record.money("refunded_total") if value else "—"

    def value_refunded(self, record, value):
        return value

    def value_total(self, record, value):
        return f"{record.total} {record.currency}"
