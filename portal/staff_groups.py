"""Staff groups with least privilege. Superusers keep everything.

support: shops, products, creators, orders and the review queues; payout runs, payouts,
commissions and the ledger read-only (to answer "where is my money?"); no money actions.
finance: commissions, the ledger (adjustments), payout runs, payouts, early payouts.
Created by the migration portal/0001, reset by 0002 (and by tests after a database flush).
"""

from django.contrib.auth.management import create_permissions

SUPPORT = {
    "shops": {"shop": "vc", "product": "vc", "productimage": "v", "category": "vac", "order": "vc"},
    "affiliates": {"creator": "vc", "affiliateprogram": "v", "collaboration": "vc", "invitation": "v",
                   "application": "v", "samplerequest": "v", "showcaseitem": "v", "creatorcode": "vc",
                   "content": "v"},
    "tracking": {"link": "v", "click": "v", "conversion": "v", "dailylinkstats": "v"},
    "payouts": {"payoutrun": "v", "payout": "v", "commission": "v", "ledgerentry": "v", "earlypayoutrequest": "v"},
}
FINANCE = {
    "payouts": {"commission": "vc", "ledgerentry": "va", "payoutrun": "vac", "payout": "vc",
                "earlypayoutrequest": "vc"},
    "shops": {"shop": "v", "order": "v"},
    "affiliates": {"creator": "v", "affiliateprogram": "v"},
    "tracking": {"conversion": "v", "dailylinkstats": "v"},
}
GROUPS = {"support": SUPPORT, "finance": FINANCE}
ACTIONS = {"v": "view", "a": "add", "c": "change"}


def ensure_groups(apps) -> None:
    """Create (or reset) the groups' permissions. `apps` is a migration's or django.apps.apps."""
    # Permissions are normally made after migrations; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        codenames = [(app, f"{ACTIONS[letter]}_{model}") for app, models in grants.items()
                     for model, letters in models.items() for letter in letters]
        group.permissions.set([Permission.objects.get(content_type__app_label=app, codename=codename)
                               for app, codename in codenames])
