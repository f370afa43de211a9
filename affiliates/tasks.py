"""Thin Celery wrappers around affiliates services; beat runs them (schedules in /ops/)."""

from celery import shared_task

from . import services


@shared_task
def expire_stale_offers() -> dict[str, int]:
    """Hourly: unanswered invitations (14 days) and sample requests (7 days) expire;
    sample content not posted 14 days after delivery becomes overdue."""
    return {"invitations_expired": services.invitations_expire(), **services.samples_expire()}
