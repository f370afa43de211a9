import django_tables2 as tables
from django.utils.html import format_html

from common.tables import BaseTable, CurrencyColumn, DateTimeColumn, MoneyColumn

from .models import Order, Product


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
