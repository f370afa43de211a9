"""Sent by affiliates after commit.

- showcase_item_added(item): a product went on a creator's showcase; tracking makes the
  creator's link for it, so the public showcase links through /r/<code>.
- invitations_sent(ids): a seller invited creators (one invitation each).
"""

from django.dispatch import Signal

showcase_item_added = Signal()
invitations_sent = Signal()  # invitations_sent(ids): a seller invited creators
