"""Every write of the api app: tokens (made, revoked) and webhook endpoints (added,
removed, re-enabled), and the deliveries of events to them (webhooks.py sends them)."""

import secrets
import uuid

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import ApiToken, WebhookDelivery, WebhookEndpoint, hash_token, new_token
from .webhooks import check_target

User = AbstractBaseUser
MAX_TOKENS = 20
MAX_ENDPOINTS = 10
EVENT_NAMES = [name for name, _ in WebhookEndpoint.EVENTS]


def token_create(*, user: User, name: str, scope: str) -> tuple[ApiToken, str]:
    """A new token for the user: returns it and its secret text, which is shown once and
    never stored (only its hash is)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Name the token after where it is used, like “Accounting sync”."})
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": "Choose read, or read and write."})
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_TOKENS:
        raise ValidationError(f"At most {MAX_TOKENS} tokens at once: revoke one you no longer use.")
    raw, prefix = new_token()
    token = ApiToken.objects.create(user=user, name=name[:60], scope=scope, prefix=prefix, key_hash=hash_token(raw),
                                    created_at=timezone.now())
    return token, raw


def token_revoke(*, token: ApiToken) -> ApiToken:
    """Stop a token at once (its next request is a 401)."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db()
    return token


def endpoint_create(*, user: User, area: str, url: str, events: list[str]) -> WebhookEndpoint:
    """Add where to send events; its signing secret is made here (shown on the settings page)."""
    url = (url or "").strip()
    check_target(url)
    if area not in WebhookEndpoint.Area.values:
        raise ValidationError({"area": "Choose seller or creator events."})
    events = [event for event in events if event in EVENT_NAMES]
    if not events:
        raise ValidationError({"events": "Choose at least one event."})
    if WebhookEndpoint.objects.filter(user=user).count() >= MAX_ENDPOINTS:
        raise ValidationError(f"At most {MAX_ENDPOINTS} endpoints.")
    return WebhookEndpoint.objects.create(user=user, area=area, url=url, events=events,
                                          secret="whsec_" + secrets.token_urlsafe(32), created_at=timezone.now())


def endpoint_enable(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Switch a disabled endpoint on again (its failure count starts over)."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=True, consecutive_failures=0, disabled_reason="")
    endpoint.refresh_from_db()
    return endpoint


def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


def events_queue(*, event: str, users_areas: list[tuple[int, str]], data: dict) -> list[WebhookDelivery]:
    """Record the event for every active endpoint of these (user, area) pairs that wants
    it, and send each after commit (a rolled-back transaction sends nothing)."""
    from .tasks import deliver_webhook

    wanted = Q()
    for user_id, area in users_areas:
        wanted |= Q(user_id=user_id, area=area)
    endpoints = WebhookEndpoint.objects.filter(wanted, is_active=True) if users_areas else []
    now = timezone.now()
    deliveries = []
    for endpoint in endpoints:
        if event not in endpoint.events:
            continue
        event_id = uuid.uuid4()
        payload = {"id": str(event_id), "type": event, "created": now.isoformat(), "data": data}
        deliveries.append(WebhookDelivery.objects.create(endpoint=endpoint, event=event, event_id=event_id,
                                                         payload=payload, created_at=now))
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: deliver_webhook.delay(pk))
    return deliveries


def delivery_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again now, by hand (as a new attempt of the same event id)."""
    from .tasks import deliver_webhook

    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.PENDING,
                                                          next_attempt_at=None)
    transaction.on_commit(lambda: deliver_webhook.delay(delivery.pk, manual=True))
    delivery.refresh_from_db()
    return delivery

