"""The periodic tasks of the affiliates app, editable afterwards in /ops/ (django-celery-beat)."""

from django.db import migrations


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    hourly, _ = CrontabSchedule.objects.get_or_create(minute="5", hour="*", day_of_week="*", day_of_month="*",
                                                      month_of_year="*", timezone="UTC")
    PeriodicTask.objects.get_or_create(
        name="affiliates: expire stale invitations and sample requests",
        defaults={"task": "affiliates.tasks.expire_stale_offers", "crontab": hourly,
                  "description": "Invitations expire after 14 days, sample requests after 7 unanswered days, "
                                 "sample content is overdue 14 days after delivery."},
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="affiliates.tasks.expire_stale_offers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("affiliates", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create, remove)]
