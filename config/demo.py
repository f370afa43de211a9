"""Demo data for `manage.py seed_demo`: idempotent, so it can run on every `make run`.

It grows with the product: each section seeds one app through that app's services,
so the demo shows what real use produces.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

from affiliates.services import creator_register
from shops.services import seller_register

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - printed for newcomers on purpose


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str


def _user(email: str, *, staff: bool = False) -> object:
    User = get_user_model()
    user, created = User.objects.get_or_create(username=email, defaults={"email": email})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.is_staff = user.is_superuser = staff
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def seed() -> list[DemoLogin]:
    logins = [DemoLogin("ops@example.com", "staff (superuser): /ops/")]
    _user("ops@example.com", staff=True)

    for email in ("tokyo.tea@example.com", "north.knits@example.com"):
        seller_register(user=_user(email))
        logins.append(DemoLogin(email, "seller: /seller/"))

    for email in ("mika.makes@example.com", "leo.lifts@example.com", "ana.eats@example.com"):
        creator_register(user=_user(email))
        logins.append(DemoLogin(email, "creator: /creator/"))

    both = _user("sam.both@example.com")
    seller_register(user=both)
    creator_register(user=both)
    logins.append(DemoLogin("sam.both@example.com", "seller and creator: chooser"))
    return logins
