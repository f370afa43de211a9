"""Payments claimed once per checkout; refunds recorded as pending, then confirmed or
failed. Refunds made before this migration were confirmed at once: they are succeeded,
completed when they were made. A periodic task asks the provider about pending ones."""

from django.db import migrations, models
from django.db.models import F


def existing_refunds_succeeded(apps, schema_editor):
    apps.get_model("shops", "Refund").objects.update(status="succeeded", completed_at=F("created_at"))


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(name="shops: settle pending refunds", defaults={
        "task": "shops.tasks.settle_pending_refunds", "interval": every, "queue": "default",
        "description": "Every 5 minutes: refunds whose payment provider answer never came are asked about again."})


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="shops.tasks.settle_pending_refunds").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('shops', '0007_history_reason_text'),
        ('django_celery_beat', '0019_alter_periodictasks_options'),
    ]

    operations = [
        migrations.AddField(
            model_name='order',
            name='payment_started_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='refund',
            name='cancels_order',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='refund',
            name='completed_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='refund',
            name='failure_reason',
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddField(
            model_name='refund',
            name='status',
            field=models.CharField(choices=[('pending', 'Sent to the payment provider'), ('succeeded', 'Refunded'), ('failed', 'Failed')], db_index=True, default='pending', max_length=10),
        ),
        migrations.RunPython(existing_refunds_succeeded, migrations.RunPython.noop),
        migrations.RunPython(create_schedule, remove_schedule),
    ]
