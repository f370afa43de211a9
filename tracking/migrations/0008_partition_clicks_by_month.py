"""The click table becomes partitioned by month on PostgreSQL (tracking/partitions.py),
rows and all; a daily task makes the months ahead. SQLite keeps its plain table."""

from django.db import migrations

from tracking.partitions import partition_table, unpartition_table


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _ = CrontabSchedule.objects.get_or_create(minute="10", hour="3", day_of_week="*", day_of_month="*",
                                                       month_of_year="*", timezone="UTC")
    PeriodicTask.objects.get_or_create(
        name="tracking: make the click partitions of the months ahead",
        defaults={"task": "tracking.tasks.make_click_partitions", "crontab": nightly,
                  "description": "Creates tracking_click's monthly partitions three months ahead (PostgreSQL)."},
    )
    PeriodicTask.objects.filter(task="tracking.tasks.prune_clicks").update(
        description="Drops the monthly click partitions past TRACKING_CLICK_RETENTION_DAYS; rollups stay.")


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="tracking.tasks.make_click_partitions").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0007_content_and_codes"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [
        migrations.RunPython(partition_table, unpartition_table),
        migrations.RunPython(schedule, unschedule),
    ]
