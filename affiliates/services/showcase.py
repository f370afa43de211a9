"""A creator's public showcase, /@handle: products in the creator's order."""

from django.core.exceptions import ValidationError
from django.db import transaction

from shops.models import Product

from .. import signals
from ..models import Creator, ShowcaseItem


@transaction.atomic
def showcase_add(*, creator: Creator, product: Product) -> ShowcaseItem:
    """Put a product for sale on the creator's showcase, last; the creator's link for it follows."""
    if product.status != Product.Status.LIVE:
        raise ValidationError("Only products for sale can go on your showcase.")
    last = ShowcaseItem.objects.filter(creator=creator).order_by("-position").first()
    item, created = ShowcaseItem.objects.get_or_create(
        creator=creator, product=product, defaults={"position": (last.position + 1) if last else 0}
    )
    if created:
        transaction.on_commit(lambda: signals.showcase_item_added.send(sender=ShowcaseItem, item=item))
    return item


@transaction.atomic
def showcase_remove(*, item: ShowcaseItem) -> None:
    """Take a product off the creator's showcase."""
    item.delete()


@transaction.atomic
def showcase_move(*, item: ShowcaseItem, offset: int) -> None:
    """Move an item up (-1) or down (+1) in the creator's showcase."""
    items = list(ShowcaseItem.objects.select_for_update().filter(creator=item.creator).order_by("position", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index + offset
    if not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items):
        other.position = position
    ShowcaseItem.objects.bulk_update(items, ["position"])
