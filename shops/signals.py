"""The order events other apps listen to. shops sends them after the transaction commits.

- order_placed(order, request): an order exists (awaiting payment); tracking attributes it.
- order_paid(order): the buyer's payment succeeded; payouts computes commissions.
- order_refunded(order, lines): some lines were refunded; `lines` are RefundLine rows.
- order_cancelled(order): a paid order was cancelled before shipping and fully refunded.
- order_review_changed(order, under_review, by, reason): staff held an order for fraud
  review, or released it; payouts freezes or releases its commissions.
"""

from django.dispatch import Signal

order_placed = Signal()
order_paid = Signal()
order_refunded = Signal()
order_cancelled = Signal()
order_review_changed = Signal()
