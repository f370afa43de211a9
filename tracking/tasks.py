"""Thin Celery wrappers around the tracking pipeline. Click flushing has its own queue."""

from celery import shared_task
from django.db import OperationalError

from shops.models import Order

from . import clicks, services
from .redirect import CookieClick


@shared_task(acks_late=True)
def flush_clicks() -> int:
    """Every second (beat): move clicks from the Redis stream to the database."""
    return clicks.flush_clicks()


# A click reaches the database within a flush or two (every second, or sooner by the flush
# below); give up waiting for one after about 15 s (it was lost with a Redis that died).
CLICK_WAITS = 12


@shared_task(bind=True, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def attribute_order(self, order_id: int, cookie_clicks: list[list], waited: int = 0) -> str:
    """Attribute a placed order, after storing any clicks still waiting in the stream.

    Another flusher may have read a click of the cookie and not stored it yet (the periodic
    flush, on another worker): then the task tries again a moment later rather than
    attribute without it."""
    clicks.flush_clicks()
    order = Order.objects.get(pk=order_id)
    entries = [CookieClick(click_id=c, link_id=int(link), at=int(at)) for c, link, at in cookie_clicks]
    try:
        return services.order_attribute(order=order, cookie_clicks=entries,
                                        wait_for_clicks=waited < CLICK_WAITS).outcome
    except services.ClicksNotStoredYet:
        attribute_order.apply_async((order_id, cookie_clicks, waited + 1), countdown=min(0.25 * 2 ** waited, 2))
        return "waiting for clicks"


@shared_task
def prune_clicks() -> int:
    """Daily: drop raw clicks past the retention period (their rollups stay)."""
    return services.clicks_prune()


@shared_task
def make_click_partitions() -> list[str]:
    """Daily: make the click table's monthly partitions three months ahead."""
    return services.click_partitions_make()


@shared_task
def refresh_creator_performance() -> int:
    """Nightly: creators' orders and GMV of the last 90 days, for the sellers' directory."""
    return services.creators_performance_refresh()
