"""Orders, what was bought, and refunds."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from common.countries import COUNTRY_CHOICES
from common.models import audit_trail
from common.money import CURRENCY_CHOICES, format_money

from .catalog import Product
from .shops import MONEY, Shop


def _order_token() -> str:
    return secrets.token_urlsafe(24)


class Order(models.Model):
    """One checkout at one shop. Amounts are frozen at placement; lines say what was bought."""

    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", "Awaiting payment"
        PAYMENT_FAILED = "payment_failed", "Payment failed"
        PAID = "paid", "Paid"
        SHIPPED = "shipped", "Shipped"
        DELIVERED = "delivered", "Delivered"
        CANCELLED = "cancelled", "Cancelled"
        REFUNDED = "refunded", "Refunded"

    TRANSITIONS = {
        Status.PENDING_PAYMENT: {Status.PAID, Status.PAYMENT_FAILED},
        Status.PAID: {Status.SHIPPED, Status.DELIVERED, Status.CANCELLED, Status.REFUNDED},
        Status.SHIPPED: {Status.DELIVERED, Status.REFUNDED},
        Status.DELIVERED: {Status.REFUNDED},
    }
    REFUNDABLE = {Status.PAID, Status.SHIPPED, Status.DELIVERED}
    # The buyer paid and the sale stands (in whole or in part): what commissions are earned on.
    PAID_STATUSES = (Status.PAID, Status.SHIPPED, Status.DELIVERED, Status.REFUNDED)

    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="orders")
    number = models.CharField(max_length=20, unique=True)
    token = models.CharField(max_length=40, unique=True, default=_order_token, editable=False)
    # One order per checkout form: a second submission of the same form finds this one.
    checkout_key = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING_PAYMENT)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="orders"
    )
    email = models.EmailField()
    name = models.CharField(max_length=120)
    address_line1 = models.CharField(max_length=200, blank=True)
    address_line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, choices=COUNTRY_CHOICES, blank=True)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    subtotal = models.DecimalField(**MONEY)
    discount = models.DecimalField(**MONEY, default=Decimal("0"))
    # The code the buyer entered (upper case), if any: its discount is in `discount`, and
    # attribution credits the code's creator before any link click.
    code = models.CharField(max_length=20, blank=True, default="", db_default="")
    shipping = models.DecimalField(**MONEY, default=Decimal("0"))
    tax = models.DecimalField(**MONEY, default=Decimal("0"))
    total = models.DecimalField(**MONEY)
    refunded_total = models.DecimalField(**MONEY, default=Decimal("0"))
    payment_reference = models.CharField(max_length=64, blank=True)
    # Set by the submission that charges the card: a second submission of the same checkout
    # (a double click, a retried request) waits for that outcome instead of charging again.
    payment_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    tracking_number = models.CharField(max_length=64, blank=True)
    # Staff hold an order for fraud review: its commissions stop until it is released.
    under_review = models.BooleanField(default=False, db_index=True)
    placed_at = models.DateTimeField(db_index=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    audit_entries = audit_trail("order")

    class Meta:
        ordering = ["-placed_at"]
        indexes = [
            models.Index(fields=["shop", "-placed_at"], name="order_shop_placed"),
            models.Index(fields=["shop", "status"], name="order_shop_status"),
            # The ops console's "held for fraud review" queue: a few rows among millions.
            models.Index(fields=["placed_at"], condition=Q(under_review=True), name="order_under_review"),
            # The seller's "orders to ship" count, from the index alone, whatever the shop's history.
            models.Index(fields=["shop"], condition=Q(status="paid", address_line1__gt=""), name="order_to_ship"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
            models.CheckConstraint(condition=Q(refunded_total__lte=models.F("total")), name="order_refund_le_total"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("shop:order_confirmation", kwargs={"token": self.token})

    def money(self, field: str) -> str:
        return format_money(getattr(self, field), self.currency)

    @property
    def total_display(self) -> str:
        return self.money("total")

    @property
    def is_refundable(self) -> bool:
        return self.status in self.REFUNDABLE and self.refunded_total < self.total

    @property
    def can_cancel(self) -> bool:
        return self.status == self.Status.PAID

    @property
    def needs_shipping(self) -> bool:
        return bool(self.address_line1)


class OrderLine(models.Model):
    """What the buyer bought: prices copied at placement, so later edits change nothing."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_lines")
    title = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Product.Kind.choices)
    unit_price = models.DecimalField(**MONEY)
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    discount = models.DecimalField(**MONEY, default=Decimal("0"))
    # What the buyer paid for the line, after discounts, without tax and shipping:
    # the commission base.
    net_amount = models.DecimalField(**MONEY)
    tax = models.DecimalField(**MONEY, default=Decimal("0"))
    refunded_quantity = models.PositiveIntegerField(default=0)
    refunded_amount = models.DecimalField(**MONEY, default=Decimal("0"))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="orderline_quantity_positive"),
            models.CheckConstraint(
                condition=Q(refunded_quantity__lte=models.F("quantity")), name="orderline_refund_le_quantity"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.title}"

    @property
    def currency(self) -> str:
        return self.order.currency

    @property
    def refundable_quantity(self) -> int:
        return self.quantity - self.refunded_quantity


class Refund(models.Model):
    """Money returned to the buyer for some lines (or all of them), with the seller's reason.

    Recorded as pending (its lines reserved, so nothing is refunded twice), sent to the
    payment gateway outside any transaction, then confirmed or failed. A failed refund
    gives its lines back; a confirmed one is what other apps hear about."""

    class Status(models.TextChoices):
        PENDING = "pending", "Sent to the payment provider"
        SUCCEEDED = "succeeded", "Refunded"
        FAILED = "failed", "Failed"

    TRANSITIONS = {Status.PENDING: {Status.SUCCEEDED, Status.FAILED}}

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(**MONEY)
    reason = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    # The seller cancelled the order: it becomes cancelled (and restocked) when this succeeds.
    cancels_order = models.BooleanField(default=False)
    reference = models.CharField(max_length=64, blank=True)
    failure_reason = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    audit_entries = audit_trail("refund")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Refund of {format_money(self.amount, self.order.currency)} on {self.order}"

    @property
    def idempotency_key(self) -> str:
        return f"refund-{self.pk}"


class RefundLine(models.Model):
    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="refund_lines")
    quantity = models.PositiveIntegerField()
    # The share of the line's net amount refunded: what commissions shrink by.
    net_amount = models.DecimalField(**MONEY)
    tax = models.DecimalField(**MONEY, default=Decimal("0"))

    def __str__(self):
        return f"{self.quantity} x {self.line.title}"
