import django_tables2 as tables
from django.utils.html import format_html

from common.tables import BaseTable, CurrencyColumn, DateTimeColumn, MoneyColumn

from .models import Order, Product


class ProductTable(BaseTable):
    picture = tables.Column(accessor="pk", verbose_name="Picture", orderable=False, exclude_from_export=True,
                            attrs={"td": {"class": "cell-thumb"}})
    title = tables.Column(linkify=("seller:product_edit", {"pk": tables.A("pk")}))
    status = tables.Column()
    price = MoneyColumn(currency="shop__currency")
    currency = CurrencyColumn("shop__currency")
    stock = tables.Column(default="n/a (service)")
    units_sold = tables.Column(verbose_name="Sold")
    updated_at = DateTimeColumn(verbose_name="Updated", format="Y-m-d H:i")

    phone_title, phone_key = "title", "status"

    class Meta(BaseTable.Meta):
        model = Product
        fields = ["picture", "title", "category", "status", "price", "currency", "stock", "units_sold", "updated_at"]
        order_by = "-updated_at"

    def render_picture(self, record):
        cover = record.cover  # prefetched by the selector
        if cover is None:
            return format_html('<span class="{}" title="No picture yet"></span>', "product-thumb product-thumb-sm")
        return format_html('<img src="{}" alt="" width="48" height="48" loading="lazy" class="rounded border">',
                           cover.thumbnail.url)

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

    phone_key = "total"

    class Meta(BaseTable.Meta):
        model = Order
        fields = ["number", "placed_at", "name", "email", "status", "total", "refunded", "currency"]
        order_by = "-placed_at"
