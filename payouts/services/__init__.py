"""Every write of the payouts app: where money is owed and paid. Keyword-only, typed,
atomic, named <thing>_<verb>, one module per concern; callers import from here.

Rules (DESIGN.md, "The money flow"): one commission per attributed order line, amount =
round(net x rate) once, half-up, to the currency's minor unit (payouts.rules); pending for
the hold period, then approved by a daily task with a credit to the append-only ledger;
refunds shrink a pending commission or claw back an approved one; a monthly run pays
every balance that reaches the minimum, once per (creator, period, currency) by
constraint. Work over many rows is set-based: aggregates, bulk inserts, single UPDATEs.
Status changes go through common.transitions; reads are in selectors, statements,
exports and reconciliation.
"""

from .commissions import (
    commission_reverse,
    commissions_apply_cancellation,
    commissions_apply_refund,
    commissions_approve_due,
    commissions_create_for_orders,
    commissions_freeze_for_order,
    commissions_release_for_order,
    commissions_sweep,
)
from .early import early_payout_approve, early_payout_decline, early_payout_request
from .ledger import ledger_adjust
from .runs import payout_mark_failed, payout_run_approve, payout_run_compute, payout_run_start, payouts_mark_paid

__all__ = [
    "commission_reverse", "commissions_apply_cancellation", "commissions_apply_refund", "commissions_approve_due",
    "commissions_create_for_orders", "commissions_freeze_for_order", "commissions_release_for_order",
    "commissions_sweep", "early_payout_approve", "early_payout_decline", "early_payout_request", "ledger_adjust",
    "payout_mark_failed", "payout_run_approve", "payout_run_compute", "payout_run_start", "payouts_mark_paid",
]
