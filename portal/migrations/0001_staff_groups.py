"""The support and finance staff groups (see portal/staff_groups.py). Installations that
made them under the old app label "config" get them again unchanged (it is idempotent)."""

from django.db import migrations


def create_groups(apps, schema_editor):
    from portal.staff_groups import ensure_groups

    ensure_groups(apps)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["support", "finance"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("shops", "0003_history"),
        ("affiliates", "0004_history"),
        ("tracking", "0003_performance_schedule"),
        ("payouts", "0003_history"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
