"""Webhook deliveries, retried with a growing delay for about a day."""

from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import WebhookDelivery, WebhookEndpoint
from .webhooks import send

# Seconds to wait before each retry: about 24 hours in all, then the delivery has failed.
RETRY_DELAYS = [30, 120, 600, 1800, 3600, 7200, 14400, 28800, 28800]


@shared_task(queue="default", ignore_result=True)
def deliver_webhook(delivery_id: int, manual: bool = False) -> str:
    """One attempt of a delivery, the HTTP call outside any transaction; schedules the next
    attempt if it failed and tries are left. An endpoint failing FAILURES_BEFORE_DISABLING
    attempts in a row is disabled (its owner sees why on their API page)."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or (delivery.status == WebhookDelivery.Status.SUCCEEDED and not manual):
        return "skipped"
    endpoint = delivery.endpoint
    if not endpoint.is_active and not manual:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.FAILED,
                                                              error="The endpoint is disabled.")
        return "disabled"
    attempt = send(endpoint.url, endpoint.secret, delivery.payload)
    now = timezone.now()
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        delivery.attempts += 1
        delivery.response_status, delivery.response_body, delivery.error = attempt.status, attempt.body, attempt.error
        delay = None
        if attempt.ok:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = (WebhookDelivery.Status.SUCCEEDED,
                                                                                 now, None)
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
        else:
            retry = not manual and delivery.attempts <= len(RETRY_DELAYS)
            delay = RETRY_DELAYS[delivery.attempts - 1] if retry else None
            delivery.status = WebhookDelivery.Status.RETRYING if retry else WebhookDelivery.Status.FAILED
            delivery.next_attempt_at = now + timedelta(seconds=delay) if retry else None
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=F("consecutive_failures") + 1)
            failures = WebhookEndpoint.objects.values_list("consecutive_failures", flat=True).get(pk=endpoint.pk)
            if failures >= WebhookEndpoint.FAILURES_BEFORE_DISABLING:
                WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=True).update(
                    is_active=False,
                    disabled_reason=f"Disabled on {now:%Y-%m-%d %H:%M} UTC after {failures} failed deliveries "
                                    "in a row. Fix the receiver, then switch it on again.")
            if delay is not None:
                transaction.on_commit(lambda: deliver_webhook.apply_async((delivery.pk,), countdown=delay))
        delivery.save(update_fields=["attempts", "response_status", "response_body", "error", "status",
                                     "delivered_at", "next_attempt_at"])
    return delivery.status
