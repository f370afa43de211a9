"""Thin Celery wrappers around shops services; beat runs them (schedules in /ops/)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def settle_pending_refunds() -> int:
    """Every few minutes: refunds whose provider answer never came are asked about again."""
    return services.refunds_settle_pending()
