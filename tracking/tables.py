import django_tables2 as tables

from common.tables import BaseTable, CurrencyColumn, MoneyColumn

from .selectors import conversion_rate


class StatsTable(BaseTable):
    """Clicks, orders and GMV for one group (a product, a creator, a link) over a period."""

    clicks = tables.Column()
    unique_clicks = tables.Column(verbose_name="Unique clicks")
    orders = tables.Column()
    conversion = tables.Column(empty_values=(), verbose_name="Conversion %", order_by=("orders",))
    gmv = MoneyColumn(verbose_name="GMV")
    currency = CurrencyColumn()

    def render_conversion(self, record):
        rate = conversion_rate(record["orders"], record["unique_clicks"])
        return "—" if rate is None else rate

    def value_conversion(self, record):
        return conversion_rate(record["orders"], record["unique_clicks"])


class ProductStatsTable(StatsTable):
    product_title = tables.Column(verbose_name="Product")

    class Meta(BaseTable.Meta):
        sequence = ("product_title", "...")
        order_by = "-gmv"


class CreatorStatsTable(StatsTable):
    creator_handle = tables.Column(verbose_name="Creator")

    class Meta(BaseTable.Meta):
        sequence = ("creator_handle", "...")
        order_by = "-gmv"

    def render_creator_handle(self, value):
        return f"@{value}"


class LinkStatsTable(StatsTable):
    product_title = tables.Column(verbose_name="Product")
    shop_name = tables.Column(verbose_name="Shop")
    code = tables.Column(verbose_name="Link")

    class Meta(BaseTable.Meta):
        sequence = ("product_title", "shop_name", "code", "...")
        order_by = "-gmv"

    def render_code(self, value):
        return f"/r/{value}"
