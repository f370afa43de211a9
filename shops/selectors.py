"""Reads of the shops app that pages share. Seller reads always take the seller's shop."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet

from .models import Order, OrderLine, Product, ProductImage, Shop, ShopMembership


def shop_for_user(*, user: AbstractBaseUser) -> Shop | None:
    """The shop this person works in as a seller, or None when they are not a seller."""
    if not user.is_authenticated:
        return None
    membership = ShopMembership.objects.select_related("shop").filter(user=user).first()
    return membership.shop if membership else None


def _with_cover(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("shop", "category").prefetch_related(
        Prefetch("images", queryset=ProductImage.objects.order_by("position", "pk"))
    )


def products_live() -> QuerySet[Product]:
    """What buyers may see and buy: live products of active shops."""
    return _with_cover(Product.objects.filter(status=Product.Status.LIVE, shop__status=Shop.Status.ACTIVE))


def shop_public(*, slug: str) -> QuerySet[Shop]:
    return Shop.objects.filter(slug=slug, status=Shop.Status.ACTIVE)


def products_of_shop(*, shop: Shop) -> QuerySet[Product]:
    """Every product of a seller's shop, for the seller."""
    return _with_cover(Product.objects.filter(shop=shop))


def orders_of_shop(*, shop: Shop) -> QuerySet[Order]:
    return Order.objects.filter(shop=shop).exclude(status=Order.Status.PENDING_PAYMENT)


def order_detail_for_shop(*, shop: Shop) -> QuerySet[Order]:
    return orders_of_shop(shop=shop).prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.select_related("product")),
        "refunds", "audit_entries__by",
    )


def seller_waiting(*, shop: Shop) -> dict[str, QuerySet]:
    """What waits for the seller in the shop, to be counted (common.counts.count_each):
    products refused or in review, live products out of stock, paid orders to ship."""
    products = Product.objects.filter(shop=shop)
    return {
        "products_rejected": products.filter(status=Product.Status.REJECTED),
        "products_in_review": products.filter(status=Product.Status.IN_REVIEW),
        "products_out_of_stock": products.filter(status=Product.Status.LIVE, stock=0),
        "orders_to_ship": Order.objects.filter(shop=shop, status=Order.Status.PAID, address_line1__gt=""),
    }
