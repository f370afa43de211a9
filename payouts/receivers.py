"""payouts listens to shops and tracking, and queues its tasks after commit."""

from django.db import transaction
from django.dispatch import receiver

from shops.signals import order_cancelled, order_paid, order_refunded, order_review_changed
from tracking.models import Conversion
from tracking.signals import conversion_created

from . import services, signals, tasks

# A commission needs two facts, committed in either order: the order is paid, and it is
# attributed. Whichever commits second queues the computation. Both lock the order's row
# before they commit, so the second one sees the first (tracking reads the status under
# that lock and says so in `order_paid`; here the payment has committed, so an attribution
# that committed before it is visible). The sweeper stays a safety net for a lost enqueue.


@receiver(order_paid, dispatch_uid="payouts.commissions_on_paid")
def commissions_on_paid(sender, order, **kwargs):
    """The payment committed second: the attribution is already there."""
    if Conversion.objects.filter(order_id=order.pk, outcome=Conversion.Outcome.ATTRIBUTED).exists():
        transaction.on_commit(lambda: tasks.commissions_queue([order.pk]))


@receiver(conversion_created, dispatch_uid="payouts.commissions_on_conversion")
def commissions_on_conversion(sender, conversion, order_paid=False, **kwargs):
    """The attribution committed second: the payment is already there."""
    if order_paid:
        transaction.on_commit(lambda: tasks.commissions_queue([conversion.order_id]))


@receiver(order_refunded, dispatch_uid="payouts.commissions_on_refund")
def commissions_on_refund(sender, order, lines, **kwargs):
    ids = [line.pk for line in lines]
    transaction.on_commit(lambda: tasks.apply_refund.delay(ids))


@receiver(order_cancelled, dispatch_uid="payouts.commissions_on_cancel")
def commissions_on_cancel(sender, order, **kwargs):
    transaction.on_commit(lambda: tasks.apply_cancellation.delay(order.pk))


@receiver(order_review_changed, dispatch_uid="payouts.commissions_follow_review")
def commissions_follow_review(sender, order, under_review, by, reason, **kwargs):
    """Held for review: pending commissions freeze (no approval). Released: they go on."""
    if under_review:
        services.commissions_freeze_for_order(order=order, by=by, reason=f"Order held for review: {reason}")
    else:
        services.commissions_release_for_order(order=order, by=by, reason=f"Order released: {reason}")


@receiver(signals.payout_run_started, dispatch_uid="payouts.compute_started_run")
def compute_started_run(sender, run, **kwargs):
    """A month's run was started (by beat or by finance): compute it on the payouts queue."""
    tasks.compute_payout_run.delay(run.pk)
