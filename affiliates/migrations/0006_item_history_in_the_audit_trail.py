"""The steps of invitations, applications, sample requests and collaborations (a JSON list
on each) move to the one audit trail (common.AuditEntry). Each step becomes an entry of
its item: the previous step's status is the entry's "from", the person is found by the
email the step kept."""

from datetime import datetime

from django.db import migrations

MODELS = ["collaboration", "invitation", "application", "samplerequest"]


def copy_steps(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("common", "AuditEntry")
    User = apps.get_model("auth", "User")  # the project keeps Django's user model
    users = {}
    for name in MODELS:
        Model = apps.get_model("affiliates", name)
        if not Model.objects.exclude(history=[]).exists():
            continue
        content_type, _ = ContentType.objects.get_or_create(app_label="affiliates", model=name)
        entries = []
        for item in Model.objects.exclude(history=[]).only("pk", "history").iterator(chunk_size=2000):
            previous = ""
            for step in item.history:
                email = step.get("by") or ""
                if email and email not in users:
                    users[email] = User.objects.filter(email=email).values_list("pk", flat=True).first()
                entries.append(AuditEntry(content_type=content_type, object_id=item.pk, from_status=previous,
                                          to_status=step.get("status", ""), reason=(step.get("note") or "")[:500],
                                          by_id=users.get(email), at=datetime.fromisoformat(step["at"])))
                previous = step.get("status", "")
        AuditEntry.objects.bulk_create(entries, batch_size=5000)


class Migration(migrations.Migration):

    dependencies = [
        ("affiliates", "0005_history_reason_text"),
        ("common", "0001_audit"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_steps, migrations.RunPython.noop),
        migrations.RemoveField(model_name="application", name="history"),
        migrations.RemoveField(model_name="collaboration", name="history"),
        migrations.RemoveField(model_name="invitation", name="history"),
        migrations.RemoveField(model_name="samplerequest", name="history"),
    ]
