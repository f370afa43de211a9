from django.db import migrations


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _ = CrontabSchedule.objects.get_or_create(minute="45", hour="3", day_of_week="*", day_of_month="*",
                                                       month_of_year="*", timezone="UTC")
    PeriodicTask.objects.get_or_create(
        name="tracking: refresh creators' 90-day performance",
        defaults={"task": "tracking.tasks.refresh_creator_performance", "crontab": nightly,
                  "description": "Orders and GMV of the last 90 days per creator, shown in Find creators."},
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="tracking.tasks.refresh_creator_performance").delete()


class Migration(migrations.Migration):
    dependencies = [("tracking", "0002_beat_schedule")]
    operations = [migrations.RunPython(create, remove)]
