"""Support may now view payout runs, payouts, commissions, the ledger and early payout
requests (read-only: finance keeps every action), and creator codes (to switch a leaked
one off) and content pieces. Resets both groups from staff_groups.py."""

from django.db import migrations


def reset_groups(apps, schema_editor):
    from portal.staff_groups import ensure_groups

    ensure_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_staff_groups"),
        ("payouts", "0007_commission_protected_until"),
        ("affiliates", "0009_content_of_fulfilled_samples"),
    ]
    operations = [migrations.RunPython(reset_groups, migrations.RunPython.noop)]
