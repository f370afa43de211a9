"""Sent by tracking after commit.

- conversion_created(conversion, order_paid): an order was attributed to a creator.
  `order_paid` says whether the payment had committed before this attribution did (read
  under the order's row lock); then payouts computes its commissions now, otherwise it
  does so when the payment commits.
"""

from django.dispatch import Signal

conversion_created = Signal()
