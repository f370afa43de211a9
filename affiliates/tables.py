
import django_tables2 as tables
from django.utils.html import format_html

from common.tables import BaseTable, DayColumn

from .models import SampleRequest


class SampleTable(BaseTable):
    requested_at = DayColumn(verbose_name="Requested")
    creator = tables.Column()
    product = tables.Column()
    status = tables.Column()
    deadline = tables.Column(empty_values=(), orderable=False)
    actions = tables.TemplateColumn(template_name="affiliates/seller/partials/sample_actions.html", orderable=False,
                                    exclude_from_export=True)

    phone_title, phone_key = "product", "status"

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
