"""Sent by payouts after commit.

- payout_run_started(run): a month's run was started; payouts.receivers queues its computation.
- commissions_created(ids): commissions were computed (a batch of ids).
- commissions_approved(ids): commissions past their hold were approved.
- payouts_created(ids): payouts were made (by a run's computation, or an early payout).
"""

from django.dispatch import Signal

payout_run_started = Signal()
commissions_created = Signal()
commissions_approved = Signal()
payouts_created = Signal()
