"""Every write of the shops app: keyword-only, typed, atomic, named <thing>_<verb>, one
module per concern. Callers import from here (`from shops import services`).

Status changes go through common.transitions.transition() (the model's TRANSITIONS
table, one audit entry each); the per-model functions below add only their own stamps.
Signals to other apps go out after commit.
"""

from .checkout import BuyerDetails, CheckoutError, order_pay, order_place
from .orders import (
    order_deliver,
    order_hold_for_review,
    order_release_review,
    order_review_set,
    order_set_status,
    order_ship,
    restock,
    shop_stats_add,
)
from .products import (
    product_add_images,
    product_approve,
    product_archive,
    product_create,
    product_reject,
    product_set_status,
    product_submit,
    product_unarchive,
    product_update,
)
from .refunds import order_cancel, order_refund, refund_send, refunds_settle_pending
from .shops import (
    seller_register,
    shop_approve,
    shop_reinstate,
    shop_reject,
    shop_set_status,
    shop_submit,
    shop_suspend,
    shop_update,
)

__all__ = [
    "BuyerDetails", "CheckoutError", "order_cancel", "order_deliver",
    "order_hold_for_review", "order_pay", "order_place", "order_refund", "order_release_review", "order_review_set",
    "order_set_status", "order_ship", "product_add_images", "product_approve", "product_archive", "product_create",
    "product_reject", "product_set_status", "product_submit", "product_unarchive", "product_update", "refund_send",
    "refunds_settle_pending", "restock", "seller_register", "shop_approve", "shop_reinstate", "shop_reject",
    "shop_set_status", "shop_stats_add", "shop_submit", "shop_suspend", "shop_update",
]
