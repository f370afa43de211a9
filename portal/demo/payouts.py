"""The demo's money after the orders: commissions approved, a paid run, an early payout asked for."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from affiliates.models import Creator
from payouts import selectors as pay_selectors
from payouts import services as pay
from payouts.models import Commission, PayoutRun
from payouts.months import previous_month
from payouts.rules import payout_minimum
from shops import services as shop_services
from tracking.models import Conversion


def seed_payouts(staff) -> None:
    """Commissions as the tasks leave them: last month's approved ones paid in a run that
    finance approved and paid, this month's approved or still in hold, one early payout
    request, and a refund after payout that shows as a clawback."""
    if PayoutRun.objects.exists():
        return
    # The signals queued these after commit; with a real worker they may not have run yet.
    pay.commissions_create_for_orders(order_ids=Conversion.objects.filter(
        outcome=Conversion.Outcome.ATTRIBUTED).values_list("order_id", flat=True))
    this_month = timezone.now().date().replace(day=1)
    last_second_of_last_month = datetime.combine(this_month, datetime.min.time(), tzinfo=UTC) - timedelta(seconds=1)
    # Last month's run pays what was approved by its end, but at least two weeks ago, so
    # whatever today's date, some approved money is left for this month (and Leo's request).
    pay.commissions_approve_due(now=min(last_second_of_last_month, timezone.now() - timedelta(days=14)))
    run, _ = pay.payout_run_start(period=previous_month(this_month), by=staff)
    run = pay.payout_run_compute(run=run)
    pay.payout_run_approve(run=run, by=staff)
    pay.payouts_mark_paid(payouts=run.payouts.all(), by=staff, reference="DEMO-PAYPAL-BATCH-1")
    pay.commissions_approve_due()
    paid = Commission.objects.filter(status=Commission.Status.PAID).select_related("order").first()
    if paid is not None:
        line = paid.order_line
        refund = shop_services.order_refund(order=paid.order, by=paid.shop.memberships.first().user,
                                            quantities={line.pk: 1}, reason="Arrived damaged")
        pay.commissions_apply_refund(refund_line_ids=list(refund.lines.values_list("pk", flat=True)))
    leo = Creator.objects.get(handle="leolifts")
    for currency, balance in pay_selectors.balances(creator=leo).items():
        if balance >= payout_minimum(currency):
            pay.early_payout_request(creator=leo, currency=currency)
