"""An order's history moves to the one audit trail (common.AuditEntry): each OrderEvent
becomes an entry of the same order, with the same move, note, person and time."""

from django.db import migrations


def copy_events(apps, schema_editor):
    OrderEvent = apps.get_model("shops", "OrderEvent")
    if not OrderEvent.objects.exists():
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("common", "AuditEntry")
    order_type, _ = ContentType.objects.get_or_create(app_label="shops", model="order")
    batch = []
    for event in OrderEvent.objects.order_by("pk").iterator(chunk_size=5000):
        batch.append(AuditEntry(content_type=order_type, object_id=event.order_id, from_status=event.from_status,
                                to_status=event.to_status, reason=event.note, by_id=event.by_id, at=event.at))
        if len(batch) >= 5000:
            AuditEntry.objects.bulk_create(batch)
            batch = []
    AuditEntry.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ("shops", "0008_payment_claim_and_refund_status"),
        ("common", "0001_audit"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_events, migrations.RunPython.noop),
        migrations.DeleteModel(name="OrderEvent"),
    ]
