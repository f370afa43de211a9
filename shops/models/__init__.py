"""The shop app's models, by concern; import them from here."""

from .catalog import Category, Product, ProductImage
from .orders import Order, OrderLine, Refund, RefundLine, _order_token
from .shops import MONEY, Shop, ShopDailyStats, ShopMembership

__all__ = [
    "Category",
    "MONEY",
    "Order",
    "_order_token",
    "OrderLine",
    "Product",
    "ProductImage",
    "Refund",
    "RefundLine",
    "Shop",
    "ShopDailyStats",
    "ShopMembership",
]
