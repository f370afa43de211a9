import django_tables2 as tables

from shops.money import format_money
from shops.tables import BaseTable

from .models import Commission


class CommissionTable(BaseTable):
    created_at = tables.DateTimeColumn(verbose_name="Date", format="Y-m-d")
    order = tables.Column(accessor="order__number", verbose_name="Order")
    product = tables.Column(accessor="order_line__title", verbose_name="Product")
    shop = tables.Column(accessor="shop__name")
    rate = tables.Column(verbose_name="Rate %")
    rate_reason = tables.Column(verbose_name="Why this rate")
    amount = tables.Column(verbose_name="Earned")
    status = tables.Column()

    class Meta(BaseTable.Meta):
        model = Commission
        fields = ["created_at", "order", "product", "shop", "rate", "rate_reason", "amount", "status"]
        order_by = "-created_at"

    def render_amount(self, record):
        owed = record.amount - record.clawed_back
        text = format_money(owed, record.currency)
        if record.clawed_back:
            return f"{text} (clawed back {format_money(record.clawed_back, record.currency)})"
        return text

    def value_amount(self, record):
        return f"{record.amount - record.clawed_back} {record.currency}"


class AffiliateOrderTable(BaseTable):
    """A shop's attributed orders: who brought them and what they earned."""

    created_at = tables.DateTimeColumn(verbose_name="Date", format="Y-m-d H:i")
    order = tables.Column(accessor="order__number", verbose_name="Order",
                          linkify=("seller:order_detail", {"pk": tables.A("order_id")}))
    creator = tables.Column(accessor="creator__handle", verbose_name="Creator")
    total = tables.Column(accessor="order__total", verbose_name="Order total")
    commission = tables.Column(verbose_name="Commission", orderable=False)
    status = tables.Column(accessor="order__status", verbose_name="Order status")

    class Meta(BaseTable.Meta):
        fields = ["created_at", "order", "creator", "total", "commission", "status"]
        order_by = "-created_at"

    def render_creator(self, value):
        return f"@{value}"

    def render_total(self, record):
        return format_money(record.order.total, record.order.currency)

    def render_commission(self, record):
        return format_money(record.commission or 0, record.order.currency)

    def value_commission(self, record):
        return str(record.commission or 0)
