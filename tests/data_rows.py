"""The rows data migrations make: staff groups, starter categories, periodic tasks.

A transactional test ends with a flush, which removes them too. With --reuse-db the
next session would start without them, so the session puts them back first, and a
transactional test that needs them calls `restore()` itself.
"""

import importlib

from django.apps import apps

DATA_MIGRATIONS = [
    ("portal", "0001_staff_groups", "create_groups"),
    ("shops", "0002_starter_categories", "create"),
    ("shops", "0008_payment_claim_and_refund_status", "create_schedule"),
    ("affiliates", "0002_beat_schedule", "create"),
    ("payouts", "0002_beat_schedule", "create"),
    ("tracking", "0002_beat_schedule", "create"),
    ("tracking", "0003_performance_schedule", "create"),
    ("tracking", "0008_partition_clicks_by_month", "schedule"),
    ("tracking", "0014_flush_every_second", "flush_every_second"),
]


def restore() -> None:
    """Run each data migration's forward function again (they are idempotent), and name
    the Site after the settings as every migrate does."""
    from common.site import sync_site

    for app, migration, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(f"{app}.migrations.{migration}"), function)(apps, None)
    sync_site()
