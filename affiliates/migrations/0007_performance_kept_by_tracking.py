"""Creators' 90-day orders and GMV are kept by tracking now (tracking.CreatorPerformance,
filled from its rollups by tracking's migration 0006 and every night)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('affiliates', '0006_item_history_in_the_audit_trail'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='creator',
            name='gmv_90d',
        ),
        migrations.RemoveField(
            model_name='creator',
            name='orders_90d',
        ),
    ]
