"""Tracking keeps creators' 90-day orders and GMV per currency itself, computed here from
its rollups as the nightly task does (they were fields of affiliates.Creator)."""

import django.db.models.deletion
from decimal import Decimal
from django.db import migrations, models


def fill(apps, schema_editor):
    from datetime import timedelta

    from django.db.models import F, Sum
    from django.utils import timezone

    DailyLinkStats = apps.get_model("tracking", "DailyLinkStats")
    CreatorPerformance = apps.get_model("tracking", "CreatorPerformance")
    today = timezone.now().date()
    rows = (DailyLinkStats.objects.filter(day__gt=today - timedelta(days=90), day__lte=today)
            .values("creator_id", currency=F("shop__currency")).annotate(orders=Sum("orders"), gmv=Sum("gmv")))
    CreatorPerformance.objects.bulk_create(
        [CreatorPerformance(creator_id=row["creator_id"], currency=row["currency"], orders=row["orders"] or 0,
                            gmv=round(Decimal(str(row["gmv"] or 0)), 2), refreshed_on=today)
         for row in rows if row["orders"] or row["gmv"]], batch_size=5000)


class Migration(migrations.Migration):

    dependencies = [
        ('affiliates', '0007_performance_kept_by_tracking'),
        ('tracking', '0005_dashboard_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='CreatorPerformance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('currency', models.CharField(max_length=3)),
                ('orders', models.PositiveIntegerField(default=0)),
                ('gmv', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=14)),
                ('refreshed_on', models.DateField()),
                ('creator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='performance', to='affiliates.creator')),
            ],
            options={
                'verbose_name_plural': 'creator performance',
                'indexes': [models.Index(fields=['currency', 'gmv'], name='performance_currency_gmv')],
                'constraints': [models.UniqueConstraint(fields=('creator', 'currency'), name='one_performance_per_currency')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
