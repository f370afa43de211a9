from decimal import Decimal

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from common.money import money_cell
from common.tables import BaseTable, DayColumn

from .models import Creator, SampleRequest
from .selectors import fulfilment_rate


class CreatorTable(BaseTable):
    select = tables.CheckBoxColumn(accessor="pk", attrs={"th__input": {"aria-label": "Select all"},
                                                         "td__input": {"name": "creator", "form": "invite-form"}})
    handle = tables.Column(verbose_name="Creator")
    niches = tables.Column(empty_values=(), orderable=False)
    followers = tables.Column()
    engagement_rate = tables.Column(verbose_name="Engagement %")
    audience_top_country = tables.Column(verbose_name="Audience")
    orders_90d = tables.Column(verbose_name="Orders 90 d")
    gmv_90d = tables.Column(verbose_name="GMV 90 d", orderable=False, empty_values=())
    fulfilment = tables.Column(empty_values=(), verbose_name="Samples done %", order_by=("-samples_fulfilled",))

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

    def render_gmv_90d(self, record):
        return record.gmv_90d_display or "—"

    def value_gmv_90d(self, record):
        """One figure per currency (a creator may sell in several): "1200 JPY; 12.50 USD"."""
        return "; ".join(f"{money_cell(Decimal(amount), currency)} {currency}"
                         for currency, amount in sorted(record.gmv_90d.items()))

    def render_fulfilment(self, record):
        rate = fulfilment_rate(fulfilled=record.samples_fulfilled, overdue=record.samples_overdue)
        return "no samples yet" if rate is None else f"{rate} %"

    def value_fulfilment(self, record):
        return fulfilment_rate(fulfilled=record.samples_fulfilled, overdue=record.samples_overdue)


class SampleTable(BaseTable):
    requested_at = DayColumn(verbose_name="Requested")
    creator = tables.Column()
    product = tables.Column()
    status = tables.Column()
    deadline = tables.Column(empty_values=(), orderable=False)
    actions = tables.TemplateColumn(template_name="affiliates/seller/partials/sample_actions.html", orderable=False,
                                    exclude_from_export=True)

    class Meta(BaseTable.Meta):
        model = SampleRequest
        fields = ["requested_at", "creator", "product", "status", "deadline", "actions"]
        order_by = "-requested_at"

    def render_deadline(self, record):
        if record.status == SampleRequest.Status.REQUESTED:
            return f"answer by {record.answer_by:%Y-%m-%d}"
        if record.status == SampleRequest.Status.DELIVERED:
            return f"content due {record.content_due:%Y-%m-%d}"
        if record.status == SampleRequest.Status.FULFILLED:
            return format_html('<a href="{}" rel="nofollow noopener" target="_blank">content</a>', record.content_url)
        return "—"
