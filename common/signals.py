"""Sent by common.transitions after the transaction commits.

- status_changed(sender=Model, obj, from_status, to_status, by, reason): any object moved
  from one status to another through transition(). Webhooks and notifications listen here.
"""

from django.dispatch import Signal

status_changed = Signal()
