"""Products: listing them with their pictures, and their review by staff."""

import logging
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.images import clean_image
from common.money import minor_unit_error
from common.transitions import transition
from common.updates import model_update

from ..models import Product, ProductImage, Shop

logger = logging.getLogger(__name__)
User = AbstractBaseUser

PRODUCT_FIELDS = ("title", "description", "category", "kind", "price", "compare_at_price", "stock")


@transaction.atomic
def product_create(*, shop: Shop, images: Sequence = (), **fields) -> Product:
    """A new product of the seller's shop, validated, as a draft, with its pictures."""
    product = Product(shop=shop)
    _product_assign(product, fields)
    product.save()
    product_add_images(product=product, uploads=images)
    return product


@transaction.atomic
def product_update(*, product: Product, by: User | None = None, images: Sequence = (),
                   remove_image_ids: Iterable[int] = (), **fields) -> Product:
    """Save changes. Content edits (title, description, category, images) of a live
    product send it back to review; price and stock edits do not."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    before = {name: getattr(product, name) for name in Product.REVIEWED_FIELDS}
    _product_assign(product, fields)
    product.save()
    removed, _ = product.images.filter(pk__in=list(remove_image_ids)).delete()
    product_add_images(product=product, uploads=images)
    content_changed = removed or images or any(getattr(product, n) != v for n, v in before.items())
    if product.status == Product.Status.LIVE and content_changed:
        product = product_set_status(product=product, to=Product.Status.IN_REVIEW, by=by,
                                     reason="Changed title, description, category or images.")
    return product


def _product_assign(product: Product, fields: dict) -> None:
    model_update(product, data=fields, fields=PRODUCT_FIELDS)
    if product.kind == Product.Kind.SERVICE:
        product.stock = None
    elif product.stock is None:
        product.stock = 0
    for name in ("price", "compare_at_price"):
        error = minor_unit_error(getattr(product, name), product.shop.currency)
        if error:
            raise ValidationError({name: error})
    product.full_clean(exclude=["shop"])


def product_add_images(*, product: Product, uploads: Sequence) -> list[ProductImage]:
    """Validate, re-encode and attach pictures, at most Product.MAX_IMAGES per product."""
    if not uploads:
        return []
    existing = product.images.count()
    if existing + len(uploads) > Product.MAX_IMAGES:
        raise ValidationError(f"A product has at most {Product.MAX_IMAGES} images; it has {existing}.")
    cleaned = [clean_image(upload, name=f"product-{product.pk}") for upload in uploads]
    created = []
    for position, picture in enumerate(cleaned, start=existing):
        image = ProductImage(product=product, width=picture.width, height=picture.height, position=position)
        image.image.save(picture.image.name, picture.image, save=False)
        image.thumbnail.save(picture.thumbnail.name, picture.thumbnail, save=False)
        image.save()
        created.append(image)
    return created


def product_set_status(*, product: Product, to: str, by: User | None = None, reason: str = "") -> Product:
    """Move the product (Product.TRANSITIONS), keeping the reason the seller reads, when it
    was sent for review and when it was first published."""
    now = timezone.now()
    stamps = {"status_reason": reason}
    if to == Product.Status.IN_REVIEW:
        stamps["submitted_at"] = now
    if to == Product.Status.LIVE and product.published_at is None:
        stamps["published_at"] = now
    product = transition(product, to=to, by=by, reason=reason, **stamps)
    logger.info("product %s status -> %s", product.pk, to)
    return product


def product_submit(*, product: Product, by: User) -> Product:
    """Send a draft or rejected product to staff review: it needs a picture (physical
    goods) and a shop with a currency."""
    if not product.images.exists() and product.kind == Product.Kind.PHYSICAL:
        raise ValidationError("Add at least one picture before sending the product for review.")
    if not product.shop.currency:
        raise ValidationError("Complete your shop's profile (currency) before sending products for review.")
    return product_set_status(product=product, to=Product.Status.IN_REVIEW, by=by)


def product_approve(*, product: Product, by: User) -> Product:
    """Staff publish a product in review: buyers can find and buy it."""
    return product_set_status(product=product, to=Product.Status.LIVE, by=by)


def product_reject(*, product: Product, by: User, reason: str) -> Product:
    """Staff send a product back with the reason the seller reads."""
    if not reason.strip():
        raise ValidationError("Say why the product is rejected: the seller reads it.")
    return product_set_status(product=product, to=Product.Status.REJECTED, by=by, reason=reason.strip())


def product_archive(*, product: Product, by: User) -> Product:
    """The seller takes a product off sale; it stays in their list."""
    return product_set_status(product=product, to=Product.Status.ARCHIVED, by=by)


def product_unarchive(*, product: Product, by: User) -> Product:
    """An archived product becomes a draft again, to edit and send for review."""
    return product_set_status(product=product, to=Product.Status.DRAFT, by=by)
