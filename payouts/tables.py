import django_tables2 as tables
from django.utils import timezone

from affiliates.rates import Source
from common.money import format_money, money_cell
from common.tables import BaseTable, CurrencyColumn, DateTimeColumn, DayColumn, MoneyColumn

from .models import Commission


class CommissionTable(BaseTable):
    created_at = DayColumn(verbose_name="Date")
    order = tables.Column(accessor="order__number", verbose_name="Order")
    product = tables.Column(accessor="order_line__title", verbose_name="Product")
    shop = tables.Column(accessor="shop__name", verbose_name="Shop")
    rate = tables.Column(verbose_name="Rate %")
    rate_reason = tables.Column(verbose_name="Why this rate")
    via = tables.Column(accessor="order__conversion", verbose_name="Via", orderable=False)
    amount = MoneyColumn(verbose_name="Earned")
    currency = CurrencyColumn()
    status = tables.Column()

    phone_title, phone_key = "product", "amount"

    class Meta(BaseTable.Meta):
        model = Commission
        fields = ["created_at", "order", "product", "shop", "via", "rate", "rate_reason", "amount", "currency",
                  "status"]
        order_by = "-created_at"

    def render_amount(self, record):
        owed = record.amount - record.clawed_back
        text = format_money(owed, record.currency)
        if record.clawed_back:
            return f"{text} (clawed back {format_money(record.clawed_back, record.currency)})"
        return text

    def value_amount(self, record):
        return money_cell(record.amount - record.clawed_back, record.currency)

    def render_rate_reason(self, record):
        return why_this_rate(record, seller=False)

    def render_via(self, value):
        return describe_via(value)


def describe_via(conversion) -> str:
    """How an attributed order was credited: "Code MIKA10", "Link", "Link in “Autumn haul”"."""
    if conversion.via == "code" and conversion.code_id:
        return f"Code {conversion.code.code}"
    if conversion.content_id:
        return f"Link in “{conversion.content.title}”"
    return "Link"


def why_this_rate(commission: Commission, *, seller: bool) -> str:
    """Where a commission's rate comes from, and the rate cut it was protected from."""
    why = Source.LABELS.get(commission.rate_source, commission.rate_source) if seller else commission.rate_reason
    if commission.protected_until:
        until = timezone.localdate(commission.protected_until).isoformat()
        why += f", protected from a rate cut until {until}"
    return why


class AffiliateOrderTable(BaseTable):
    """A shop's attributed orders: who brought them and what they earned."""

    created_at = DateTimeColumn(verbose_name="Date", format="Y-m-d H:i")
    order = tables.Column(accessor="order__number", verbose_name="Order",
                          linkify=("seller:order_detail", {"pk": tables.A("order_id")}))
    creator = tables.Column(accessor="creator__handle", verbose_name="Creator")
    total = MoneyColumn(accessor="order__total", verbose_name="Order total", currency="order__currency")
    commission = MoneyColumn(verbose_name="Commission", orderable=False, currency="order__currency")
    via = tables.Column(empty_values=(), verbose_name="Via", orderable=False)
    rate = tables.Column(accessor="order__commissions", verbose_name="Rate and why", orderable=False)
    currency = CurrencyColumn("order__currency")
    status = tables.Column(accessor="order__status", verbose_name="Order status")

    phone_title, phone_key = "order", "commission"

    class Meta(BaseTable.Meta):
        fields = ["created_at", "order", "creator", "via", "total", "commission", "rate", "currency", "status"]
        order_by = "-created_at"

    def render_via(self, record):
        return describe_via(record)

    def render_rate(self, record):
        # Per line of the order (prefetched); lines with the same rate and reason say it once.
        rates = dict.fromkeys(f"{commission.rate.normalize():f} %: {why_this_rate(commission, seller=True)}"
                              for commission in record.order.commissions.all())
        return "; ".join(rates) or "—"

    def value_rate(self, record):
        return self.render_rate(record) if record.order.commissions.all() else ""

    def render_creator(self, value):
        return f"@{value}"
