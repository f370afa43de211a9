"""Staff groups with least privilege. Superusers keep everything.

support: shops, products, creators, orders and the review queues; no money actions.
finance: commissions, the ledger (adjustments), payout runs, payouts, early payouts.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SUPPORT = {
    "shops": {"shop": "vc", "product": "vc", "productimage": "v", "category": "vac", "order": "vc"},
    "affiliates": {"creator": "vc", "affiliateprogram": "v", "collaboration": "vc", "invitation": "v",
                   "application": "v", "samplerequest": "v", "showcaseitem": "v"},
    "tracking": {"link": "v", "click": "v", "conversion": "v", "dailylinkstats": "v"},
}
FINANCE = {
    "payouts": {"commission": "vc", "ledgerentry": "va", "payoutrun": "vac", "payout": "vc",
                "earlypayoutrequest": "vc"},
    "shops": {"shop": "v", "order": "v"},
    "affiliates": {"creator": "v", "affiliateprogram": "v"},
    "tracking": {"conversion": "v", "dailylinkstats": "v"},
}
ACTIONS = {"v": "view", "a": "add", "c": "change"}


def create_groups(apps, schema_editor):
    # Permissions are normally made after migrations; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in (("support", SUPPORT), ("finance", FINANCE)):
        group, _ = Group.objects.get_or_create(name=name)
        codenames = [(app, f"{ACTIONS[letter]}_{model}") for app, models in grants.items()
                     for model, letters in models.items() for letter in letters]
        group.permissions.set([Permission.objects.get(content_type__app_label=app, codename=codename)
                               for app, codename in codenames])


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
