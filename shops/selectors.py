"""Reads of the shops app that pages share."""

from django.contrib.auth.models import AbstractBaseUser

from .models import Shop, ShopMembership


def shop_for_user(*, user: AbstractBaseUser) -> Shop | None:
    """The shop this person works in as a seller, or None when they are not a seller."""
    if not user.is_authenticated:
        return None
    membership = ShopMembership.objects.select_related("shop").filter(user=user).first()
    return membership.shop if membership else None
