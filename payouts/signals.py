"""Sent by payouts after commit.

- payout_run_started(run): a month's run was started; payouts.receivers queues its computation.
"""

from django.dispatch import Signal

payout_run_started = Signal()
