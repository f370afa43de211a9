"""Sent by tracking after commit.

- conversion_created(conversion): an order was attributed to a creator; payouts computes
  its commissions if the order is already paid.
"""

from django.dispatch import Signal

conversion_created = Signal()
