"""Thin Celery wrappers: take ids, call one service. Commission and payout work have their
own queues ("commissions", "payouts") so a long run never delays click ingestion."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from shops.models import Order

from . import services
from .models import PayoutRun
from .months import previous_month

RETRY = {"acks_late": True, "reject_on_worker_lost": True, "autoretry_for": (OperationalError,),
         "retry_backoff": True, "max_retries": 5}


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
