"""Periodic tasks of the tracking app, editable afterwards in /ops/ (django-celery-beat)."""

from django.db import migrations


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_2s, _ = IntervalSchedule.objects.get_or_create(every=2, period="seconds")
    nightly, _ = CrontabSchedule.objects.get_or_create(minute="30", hour="3", day_of_week="*", day_of_month="*",
                                                       month_of_year="*", timezone="UTC")
    PeriodicTask.objects.get_or_create(
        name="tracking: move clicks from the stream to the database",
        defaults={"task": "tracking.tasks.flush_clicks", "interval": every_2s, "queue": "clicks",
                  "description": "Stores queued clicks in batches and acknowledges them after commit."},
    )
    PeriodicTask.objects.get_or_create(
        name="tracking: prune raw clicks past retention",
        defaults={"task": "tracking.tasks.prune_clicks", "crontab": nightly,
                  "description": "Deletes raw clicks older than TRACKING_CLICK_RETENTION_DAYS; rollups stay."},
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task__in=["tracking.tasks.flush_clicks", "tracking.tasks.prune_clicks"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create, remove)]
