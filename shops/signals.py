"""The order events other apps listen to. shops sends them after the transaction commits.

- order_placed(order, request): an order exists (awaiting payment); tracking attributes it.
- order_paid(order): the buyer's payment succeeded; payouts computes commissions.
- order_refunded(order, lines): some lines were refunded; `lines` are RefundLine rows.
- order_cancelled(order): a paid order was cancelled before shipping and fully refunded.
"""

from django.dispatch import Signal

order_placed = Signal()
order_paid = Signal()
order_refunded = Signal()
order_cancelled = Signal()
