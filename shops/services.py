"""Every write of the shops app. Keyword-only, typed, atomic, named <thing>_<verb>."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from .models import Shop, ShopMembership


@transaction.atomic
def seller_register(*, user: AbstractBaseUser) -> ShopMembership:
    """Give the user the seller role: a draft shop they own. Calling it again changes nothing."""
    membership = ShopMembership.objects.select_related("shop").filter(user=user).first()
    if membership is not None:
        return membership
    shop = Shop.objects.create()
    return ShopMembership.objects.create(shop=shop, user=user, role=ShopMembership.Role.OWNER)
