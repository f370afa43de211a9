"""Sellers and their shops: the seller role, the shop's profile, and its review by staff."""

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.images import clean_image
from common.transitions import transition
from common.updates import model_update

from ..models import Shop, ShopMembership

logger = logging.getLogger(__name__)
User = AbstractBaseUser


@transaction.atomic
def seller_register(*, user: User) -> ShopMembership:
    """Give the user the seller role: a draft shop they own. Calling it again changes nothing."""
    membership = ShopMembership.objects.select_related("shop").filter(user=user).first()
    if membership is not None:
        return membership
    shop = Shop.objects.create(contact_email=getattr(user, "email", ""))
    return ShopMembership.objects.create(shop=shop, user=user, role=ShopMembership.Role.OWNER)


SHOP_PROFILE_FIELDS = (
    "name", "slug", "description", "logo", "legal_name", "country", "currency", "contact_email", "tax_id",
    "return_window_days", "shipping_fee", "tax_rate",
)


@transaction.atomic
def shop_update(*, shop: Shop, **fields) -> Shop:
    """Save the shop's profile, validated. The currency is fixed once the shop has
    products; a new logo is checked and re-encoded (False removes it)."""
    if "currency" in fields and fields["currency"] != shop.currency and shop.currency and shop.products.exists():
        raise ValidationError({"currency": "The currency cannot change once the shop has products."})
    logo = fields.pop("logo", None)
    model_update(shop, data=fields, fields=SHOP_PROFILE_FIELDS)
    if logo is False:
        shop.logo = ""
    elif logo and logo != shop.logo:
        cleaned = clean_image(logo, name="logo")
        shop.logo.save(cleaned.thumbnail.name, cleaned.thumbnail, save=False)
    shop.full_clean()
    shop.save()
    return shop


def shop_set_status(*, shop: Shop, to: str, by: User | None = None, reason: str = "") -> Shop:
    """Move the shop (Shop.TRANSITIONS), keeping the reason the seller reads and when it
    was sent for review or reviewed."""
    stamp = "submitted_at" if to == Shop.Status.PENDING else "reviewed_at"
    shop = transition(shop, to=to, by=by, reason=reason, status_reason=reason, **{stamp: timezone.now()})
    logger.info("shop %s status -> %s", shop.pk, to)
    return shop


def shop_submit(*, shop: Shop, by: User) -> Shop:
    """Send a complete shop to staff for approval; an incomplete one is refused with what is missing."""
    if shop.missing_for_review:
        raise ValidationError("Before sending your shop for approval, add " + ", ".join(shop.missing_for_review) + ".")
    return shop_set_status(shop=shop, to=Shop.Status.PENDING, by=by)


def shop_approve(*, shop: Shop, by: User) -> Shop:
    """Staff open a shop waiting for approval: it can sell."""
    return shop_set_status(shop=shop, to=Shop.Status.ACTIVE, by=by)


def _need_reason(reason: str, what: str) -> str:
    if not reason.strip():
        raise ValidationError(f"Say why the {what}: the seller reads it.")
    return reason.strip()


def shop_reject(*, shop: Shop, by: User, reason: str) -> Shop:
    """Staff send a shop back with the reason the seller reads; the seller may submit again."""
    return shop_set_status(shop=shop, to=Shop.Status.REJECTED, by=by, reason=_need_reason(reason, "shop is rejected"))


def shop_suspend(*, shop: Shop, by: User, reason: str) -> Shop:
    """Staff stop an active shop from selling, with the reason the seller reads."""
    return shop_set_status(shop=shop, to=Shop.Status.SUSPENDED, by=by,
                           reason=_need_reason(reason, "shop is suspended"))


def shop_reinstate(*, shop: Shop, by: User) -> Shop:
    """Staff let a suspended shop sell again."""
    return shop_set_status(shop=shop, to=Shop.Status.ACTIVE, by=by)
