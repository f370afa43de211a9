"""Thin Celery wrappers: take ids, call one service. Commission and payout work have their
own queues ("commissions", "payouts") so a long run never delays click ingestion."""

import logging

import redis
from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from shops.models import Order

from . import due, owed, services
from .models import PayoutRun
from .months import previous_month

RETRY = {"acks_late": True, "reject_on_worker_lost": True, "autoretry_for": (OperationalError,),
         "retry_backoff": True, "max_retries": 5}
logger = logging.getLogger(__name__)


def commissions_queue(order_ids: list[int]) -> None:
    """Have the orders' commissions computed soon: micro-batched through the due stream
    when Redis is there (payouts/due.py), else a task for these orders. Call after commit."""
    if due.enabled():
        try:
            if due.add(order_ids):
                drain_due_commissions.delay()
            return
        except redis.RedisError:
            logger.warning("the commissions-due stream is unavailable; computing orders %s by a task", order_ids)
    compute_commissions.delay(order_ids)


@shared_task(**RETRY)
def drain_due_commissions() -> int:
    """Compute the commissions queued on the due stream, in batches, until it is empty."""
    made, more = due.drain()
    if more:
        drain_due_commissions.delay()
    return made


@shared_task(**RETRY)
def compute_commissions(order_ids: list[int]) -> int:
    return services.commissions_create_for_orders(order_ids=order_ids)


@shared_task(**RETRY)
def apply_refund(refund_line_ids: list[int]) -> str:
    return str(services.commissions_apply_refund(refund_line_ids=refund_line_ids))


@shared_task(**RETRY)
def apply_cancellation(order_id: int) -> str:
    return str(services.commissions_apply_cancellation(order=Order.objects.get(pk=order_id)))


@shared_task(**RETRY)
def approve_due_commissions() -> int:
    """Daily (beat): approve commissions whose hold period is over."""
    return services.commissions_approve_due()


@shared_task(**RETRY)
def sweep_missing_commissions() -> int:
    """Hourly (beat): compute commissions a lost enqueue never computed."""
    return services.commissions_sweep()


@shared_task(**RETRY)
def start_monthly_payout_run() -> int:
    """On the 1st at 02:00 UTC (beat): the run for the month before."""
    run, _ = services.payout_run_start(period=previous_month(timezone.now().date()))
    return run.pk


@shared_task(**RETRY)
def compute_payout_run(run_id: int) -> str:
    return services.payout_run_compute(run=PayoutRun.objects.get(pk=run_id)).status


@shared_task(**RETRY)
def compact_open_commissions() -> int:
    """Every minute (beat): fold the open-commission changes into the shops' totals."""
    return owed.open_commissions_compact()
