"""Periodic tasks of the payouts app, editable afterwards in /ops/ (django-celery-beat)."""

from django.db import migrations

TASKS = [
    ("payouts: approve commissions past their hold", "payouts.tasks.approve_due_commissions",
     {"minute": "0", "hour": "1"}, "commissions",
     "Daily: pending commissions whose hold period is over are approved and credited to the ledger."),
    ("payouts: compute commissions a lost enqueue missed", "payouts.tasks.sweep_missing_commissions",
     {"minute": "20", "hour": "*"}, "commissions",
     "Hourly: paid attributed orders without commissions get them."),
    ("payouts: monthly payout run", "payouts.tasks.start_monthly_payout_run",
     {"minute": "0", "hour": "2", "day_of_month": "1"}, "payouts",
     "On the 1st at 02:00 UTC: starts the run for the previous calendar month."),
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, cron, queue, description in TASKS:
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=cron["minute"], hour=cron["hour"], day_of_month=cron.get("day_of_month", "*"),
            day_of_week="*", month_of_year="*", timezone="UTC")
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": schedule, "queue": queue,
                                                                "description": description})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task__in=[task for _, task, *_ in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("payouts", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create, remove)]
