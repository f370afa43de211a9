"""Personal API tokens, and webhook endpoints with their deliveries."""

import hashlib
import secrets

from django.conf import settings
from django.db import models

TOKEN_PREFIX = "ksk_"  # noqa: S105 - a prefix, not a secret


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """(the token as shown once, its first characters kept to recognise it)."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return raw, raw[:12]


class ApiToken(models.Model):
    """A personal token: it acts as its owner, on the seller or creator endpoints their
    roles open, reading only or also writing. Only its hash is stored."""

    class Scope(models.TextChoices):
        READ = "read", "Read"
        WRITE = "write", "Read and write"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=60)
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class WebhookEndpoint(models.Model):
    """Where a seller or creator wants events sent, which events, and the secret that signs them."""

    class Area(models.TextChoices):
        SELLER = "seller", "As a seller"
        CREATOR = "creator", "As a creator"

    EVENTS = [
        ("order.attributed", "An order was attributed to a creator"),
        ("commission.created", "Commissions were computed"),
        ("commission.approved", "Commissions were approved"),
        ("commission.reversed", "A commission was reversed"),
        ("payout.created", "A payout was created"),
        ("payout.paid", "A payout was paid"),
        ("invitation.received", "A creator received an invitation"),
        ("sample.updated", "A sample request changed"),
    ]
    FAILURES_BEFORE_DISABLING = 15

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_endpoints")
    area = models.CharField(max_length=7, choices=Area.choices)
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=64)
    is_active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.url


class WebhookDelivery(models.Model):
    """One event sent (or to be sent) to one endpoint, with every attempt's outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Delivered"
        RETRYING = "retrying", "Failed, will retry"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    event_id = models.UUIDField()
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveIntegerField(null=True, blank=True)
    response_body = models.CharField(max_length=2000, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["endpoint", "-created_at"], name="delivery_endpoint_latest")]

    def __str__(self):
        return f"{self.event} -> {self.endpoint_id} ({self.status})"
