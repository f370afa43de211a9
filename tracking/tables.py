import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from affiliates.models import Creator
from affiliates.selectors import fulfilment_rate
from common.tables import BaseTable, CountColumn, CurrencyColumn, MoneyColumn

from .selectors import conversion_rate


class StatsTable(BaseTable):
    """Clicks, orders and GMV for one group (a product, a creator, a link) over a period."""

    clicks = CountColumn()
    unique_clicks = CountColumn(verbose_name="Unique clicks")
    orders = CountColumn()
    conversion = tables.Column(empty_values=(), verbose_name="Conversion %", order_by=("orders",))
    gmv = MoneyColumn(verbose_name="GMV")
    commission = MoneyColumn(verbose_name="Commission")
    currency = CurrencyColumn()

    phone_key = "gmv"

    def render_conversion(self, record):
        rate = conversion_rate(record["orders"], record["unique_clicks"])
        return "—" if rate is None else str(rate)

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


class ContentStatsTable(StatsTable):
    """Per content piece (and shop): which post sold."""

    title = tables.Column(verbose_name="Content")
    creator_handle = tables.Column(verbose_name="Creator")
    platform = tables.Column(verbose_name="Where")

    phone_title = "title"

    class Meta(BaseTable.Meta):
        sequence = ("title", "creator_handle", "platform", "...")
        order_by = "-gmv"

    def render_title(self, record, value):
        return format_html('<a href="{}" rel="nofollow noopener" target="_blank">{}</a>', record["url"], value)

    def value_title(self, record, value):
        return f"{value} ({record['url']})"

    def render_creator_handle(self, value):
        return f"@{value}"


class LinkStatsTable(StatsTable):
    """A creator's links: what each earned them is the key figure."""

    product_title = tables.Column(verbose_name="Product")
    shop_name = tables.Column(verbose_name="Shop")
    code = tables.Column(verbose_name="Link")
    commission = MoneyColumn(verbose_name="Earned")

    phone_key = "commission"

    class Meta(BaseTable.Meta):
        sequence = ("product_title", "shop_name", "code", "...")
        order_by = "-commission"

    def render_product_title(self, record, value):
        return format_html('<a href="{}">{}</a>', reverse("creator:link_detail", args=[record["code"]]), value)

    def value_product_title(self, value):
        return value

    def render_code(self, value):
        return f"/r/{value}"


class CreatorTable(BaseTable):
    select = tables.CheckBoxColumn(accessor="pk", attrs={"th__input": {"aria-label": "Select all"},
                                                         "td__input": {"name": "creator", "form": "invite-form"}})
    handle = tables.Column(verbose_name="Creator")
    niches = tables.Column(empty_values=(), orderable=False)
    followers = tables.Column()
    engagement_rate = tables.Column(verbose_name="Engagement %")
    audience_top_country = tables.Column(verbose_name="Audience")
    orders_90d = tables.Column(verbose_name="Orders 90 d")
    gmv_90d = MoneyColumn(verbose_name="GMV 90 d", currency="gmv_currency")
    fulfilment = tables.Column(empty_values=(), verbose_name="Samples done %", order_by=("-samples_fulfilled",))

    phone_key = "followers"

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns["gmv_90d"].column.verbose_name = f"GMV 90 d ({currency})"

    class Meta(BaseTable.Meta):
        model = Creator
        fields = ["select", "handle", "niches", "followers", "engagement_rate", "audience_top_country",
                  "orders_90d", "gmv_90d", "fulfilment"]
        order_by = "-followers"

    def render_handle(self, record):
        url = reverse("seller:creator_detail", args=[record.handle])
        return format_html('<a href="{}">@{}</a><div class="small text-body-secondary">{}</div>', url, record.handle,
                           record.display_name)

    def value_handle(self, record):
        return f"@{record.handle}"

    def render_niches(self, record):
        return ", ".join(niche.name for niche in record.niches.all()) or "—"

    def render_followers(self, value):
        return f"{value:,}"

    def value_followers(self, value):
        return value

    def render_audience_top_country(self, record):
        parts = [record.get_audience_top_country_display(), record.audience_top_age, record.audience_gender]
        return " · ".join(part for part in parts if part and part != "mixed") or "—"


    def render_fulfilment(self, record):
        rate = fulfilment_rate(fulfilled=record.samples_fulfilled, overdue=record.samples_overdue)
        return "no samples yet" if rate is None else f"{rate} %"

    def value_fulfilment(self, record):
        return fulfilment_rate(fulfilled=record.samples_fulfilled, overdue=record.samples_overdue)
