"""Demo data for `manage.py seed_demo`: idempotent, so it can run on every `make run`.

It grows with the product: each section seeds one app through that app's services,
so the demo shows what real use produces.
"""

from django.db import transaction

from shops import services as shop_services
from shops.categories import ensure_starter_categories
from shops.models import Category, Shop

from .activity import seed_codes_and_content, seed_tracking
from .affiliates import CREATORS, EXTRA_CREATORS, demo_creator, seed_affiliates
from .base import DEMO_PASSWORD, DemoLogin, demo_user
from .payouts import seed_payouts
from .shops import SHOPS, seed_orders, seed_shop

__all__ = ["DEMO_PASSWORD", "DemoLogin", "seed"]


def seed() -> list[DemoLogin]:
    ensure_starter_categories(Category)  # made by a migration; here too for databases that were flushed
    logins = [DemoLogin("ops@example.com", "staff (superuser): /ops/")]
    staff = demo_user("ops@example.com", staff=True)

    for spec in SHOPS:
        with transaction.atomic():
            shop = seed_shop(spec, staff)
        seed_orders(shop)
        logins.append(DemoLogin(spec["owner"], f"seller ({shop.name}, {shop.currency}): /seller/"))

    creators = {}
    with transaction.atomic():
        for email, handle, name, niches, followers, engagement, country, female, male, age, status in CREATORS:
            creators[handle] = demo_creator(email, handle, name, niches, followers, engagement, country, female, male,
                                        age, staff, status)
            if email != "sam.both@example.com":
                logins.append(DemoLogin(email, f"creator @{handle} ({status}): /creator/"))
        for handle, name, niches, followers, engagement, country, female, male, age in EXTRA_CREATORS:
            demo_creator(f"{handle}@example.com", handle.replace(".", "-"), name, niches, followers, engagement,
                         country, female, male, age, staff)
        shop_services.seller_register(user=creators["samboth"].user)
        logins.append(DemoLogin("sam.both@example.com", "seller (draft shop) and creator @samboth: chooser"))
        seed_affiliates(staff, creators)
    with transaction.atomic():
        seed_tracking()
    with transaction.atomic():
        seed_codes_and_content()
    with transaction.atomic():
        seed_payouts(staff)
    seed_api_token()
    return logins


def seed_api_token() -> None:
    """A token Tokyo Tea House made for its bookkeeping (its secret is not kept, as ever)."""
    from api import services as api_services
    from api.models import ApiToken

    owner = Shop.objects.get(slug="tokyo-tea").memberships.first().user
    if not ApiToken.objects.filter(user=owner).exists():
        api_services.token_create(user=owner, name="Bookkeeping sync", scope="read")
