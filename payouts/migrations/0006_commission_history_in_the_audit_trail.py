"""A commission's history (status moves and amount changes) moves to the one audit trail
(common.AuditEntry): each CommissionEvent becomes an entry of the same commission."""

from django.db import migrations


def copy_events(apps, schema_editor):
    CommissionEvent = apps.get_model("payouts", "CommissionEvent")
    if not CommissionEvent.objects.exists():
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("common", "AuditEntry")
    commission_type, _ = ContentType.objects.get_or_create(app_label="payouts", model="commission")
    batch = []
    for event in CommissionEvent.objects.order_by("pk").iterator(chunk_size=5000):
        batch.append(AuditEntry(content_type=commission_type, object_id=event.commission_id,
                                from_status=event.from_status, to_status=event.to_status,
                                # Moves without money kept a 0; an entry without money has none.
                                amount_change=event.amount_change if event.amount_change or not event.from_status
                                else None,
                                reason=event.reason, by_id=event.by_id, at=event.at))
        if len(batch) >= 5000:
            AuditEntry.objects.bulk_create(batch)
            batch = []
    AuditEntry.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ("payouts", "0005_history_reason_text"),
        ("common", "0001_audit"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_events, migrations.RunPython.noop),
        migrations.DeleteModel(name="CommissionEvent"),
    ]
