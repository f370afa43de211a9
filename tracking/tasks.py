"""Thin Celery wrappers around the tracking pipeline. Click flushing has its own queue."""

from celery import shared_task
from django.db import OperationalError

from shops.models import Order

from . import clicks, services
from .redirect import CookieClick


@shared_task(acks_late=True)
def flush_clicks() -> int:
    """Every few seconds (beat): move clicks from the Redis stream to the database."""
    return clicks.flush_clicks()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def attribute_order(order_id: int, cookie_clicks: list[list]) -> str:
    """Attribute a placed order, after storing any clicks still waiting in the stream."""
    clicks.flush_clicks()
    order = Order.objects.get(pk=order_id)
    entries = [CookieClick(click_id=c, link_id=int(link), at=int(at)) for c, link, at in cookie_clicks]
    return services.order_attribute(order=order, cookie_clicks=entries).outcome


@shared_task
def prune_clicks() -> int:
    """Daily: delete raw clicks past the retention period (their rollups stay)."""
    return services.clicks_prune()


@shared_task
def refresh_creator_performance() -> int:
    """Nightly: creators' orders and GMV of the last 90 days, for the sellers' directory."""
    return services.creators_performance_refresh()
