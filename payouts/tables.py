import django_tables2 as tables

from common.money import format_money, money_cell
from common.tables import BaseTable, CurrencyColumn, DateTimeColumn, DayColumn, MoneyColumn

from .models import Commission


class CommissionTable(BaseTable):
    created_at = DayColumn(verbose_name="Date")
    order = tables.Column(accessor="order__number", verbose_name="Order")
    product = tables.Column(accessor="order_line__title", verbose_name="Product")
    shop = tables.Column(accessor="shop__name")
    rate = tables.Column(verbose_name="Rate %")
    rate_reason = tables.Column(verbose_name="Why this rate")
    amount = MoneyColumn(verbose_name="Earned")
    currency = CurrencyColumn()
    status = tables.Column()

    class Meta(BaseTable.Meta):
        model = Commission
        fields = ["created_at", "order", "product", "shop", "rate", "rate_reason", "amount", "currency", "status"]
        order_by = "-created_at"

    def render_amount(self, record):
        owed = record.amount - record.clawed_back
        text = format_money(owed, record.currency)
        if record.clawed_back:
            return f"{text} (clawed back {format_money(record.clawed_back, record.currency)})"
        return text

    def value_amount(self, record):
        return money_cell(record.amount - record.clawed_back, record.currency)


class AffiliateOrderTable(BaseTable):
    """A shop's attributed orders: who brought them and what they earned."""

    created_at = DateTimeColumn(verbose_name="Date", format="Y-m-d H:i")
    order = tables.Column(accessor="order__number", verbose_name="Order",
                          linkify=("seller:order_detail", {"pk": tables.A("order_id")}))
    creator = tables.Column(accessor="creator__handle", verbose_name="Creator")
    total = MoneyColumn(accessor="order__total", verbose_name="Order total", currency="order__currency")
    commission = MoneyColumn(verbose_name="Commission", orderable=False, currency="order__currency")
    currency = CurrencyColumn("order__currency")
    status = tables.Column(accessor="order__status", verbose_name="Order status")

    class Meta(BaseTable.Meta):
        fields = ["created_at", "order", "creator", "total", "commission", "currency", "status"]
        order_by = "-created_at"

    def render_creator(self, value):
        return f"@{value}"
