import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from common.countries import COUNTRY_CHOICES
from common.html import sanitize_html
from common.models import audit_trail
from common.money import CURRENCY_CHOICES, format_money

MONEY = {"max_digits": 12, "decimal_places": 2}


class Shop(models.Model):
    """A seller's shop. It starts as a draft that the seller completes and staff approve."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PENDING = "pending", "Waiting for approval"
        ACTIVE = "active", "Active"
        REJECTED = "rejected", "Rejected"
        SUSPENDED = "suspended", "Suspended"

    # Allowed status moves; services.shop_set_status is the only writer.
    TRANSITIONS = {
        Status.DRAFT: {Status.PENDING},
        Status.PENDING: {Status.ACTIVE, Status.REJECTED},
        Status.REJECTED: {Status.PENDING},
        Status.ACTIVE: {Status.SUSPENDED},
        Status.SUSPENDED: {Status.ACTIVE},
    }
    # What a shop needs before it can be sent for approval, with the words a seller reads.
    REQUIRED_FOR_REVIEW = {
        "name": "a shop name",
        "slug": "a web address",
        "legal_name": "the business's legal name",
        "country": "the country the business is registered in",
        "currency": "the currency you sell in",
        "contact_email": "a contact email for buyers",
    }

    name = models.CharField(max_length=80, blank=True)
    slug = models.SlugField(max_length=60, unique=True, null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    description = models.TextField(blank=True, max_length=2000)
    logo = models.ImageField(upload_to="shops/logos/", blank=True)
    # Business profile
    legal_name = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=2, choices=COUNTRY_CHOICES, blank=True)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, blank=True)
    contact_email = models.EmailField(blank=True)
    tax_id = models.CharField("tax id", max_length=40, blank=True)
    # Selling terms
    return_window_days = models.PositiveSmallIntegerField(
        default=14, validators=[MinValueValidator(0), MaxValueValidator(90)],
        help_text="Days after delivery in which buyers may return items.",
    )
    shipping_fee = models.DecimalField(**MONEY, default=Decimal("0"), validators=[MinValueValidator(0)])
    tax_rate = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(50)],
        help_text="Sales tax in percent, added to the net price at checkout.",
    )
    # Review
    status_reason = models.CharField(max_length=500, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    audit_entries = audit_trail("shop")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.name or f"Shop #{self.pk} (unnamed)"

    def get_absolute_url(self):
        return reverse("shop:shop", kwargs={"slug": self.slug}) if self.slug else ""

    @property
    def missing_for_review(self) -> list[str]:
        """What the seller still has to fill in, in their words."""
        return [label for field, label in self.REQUIRED_FOR_REVIEW.items() if not getattr(self, field)]

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class ShopMembership(models.Model):
    """The seller role: a person's place in a shop. One shop per person for now."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="memberships")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shop_membership")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.OWNER)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user} in {self.shop}"


class Category(models.Model):
    """A product category, managed by staff. Creators pick niches from the same list."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name


class Product(models.Model):
    class Kind(models.TextChoices):
        PHYSICAL = "physical", "Physical goods"
        DIGITAL = "digital", "Digital goods"
        SERVICE = "service", "Service"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        LIVE = "live", "Live"
        REJECTED = "rejected", "Rejected"
        ARCHIVED = "archived", "Archived"

    TRANSITIONS = {
        Status.DRAFT: {Status.IN_REVIEW, Status.ARCHIVED},
        Status.IN_REVIEW: {Status.LIVE, Status.REJECTED, Status.ARCHIVED},
        Status.LIVE: {Status.IN_REVIEW, Status.ARCHIVED},
        Status.REJECTED: {Status.IN_REVIEW, Status.ARCHIVED},
        Status.ARCHIVED: {Status.DRAFT},
    }
    # Changing any of these on a live product sends it back to review.
    REVIEWED_FIELDS = ("title", "description", "category_id")
    MAX_IMAGES = 8

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="products")
    title = models.CharField(max_length=120)
    description = models.TextField(max_length=10000, blank=True, help_text="Sanitised HTML.")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PHYSICAL)
    price = models.DecimalField(**MONEY)
    compare_at_price = models.DecimalField(**MONEY, null=True, blank=True)
    # None for services: they have no stock to run out of.
    stock = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    status_reason = models.CharField(max_length=500, blank=True)
    units_sold = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["units_sold"])
    audit_entries = audit_trail("product")

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="product_feed_newest"),
            models.Index(fields=["shop", "status"], name="product_shop_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="product_price_positive"),
            models.CheckConstraint(
                condition=Q(kind="service", stock__isnull=True) | (~Q(kind="service") & Q(stock__isnull=False)),
                name="product_stock_unless_service",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Whoever writes the description (seller form, admin, import), only safe HTML is stored.
        self.description = sanitize_html(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("shop:product", kwargs={"pk": self.pk})

    @property
    def currency(self) -> str:
        return self.shop.currency

    @property
    def price_display(self) -> str:
        return format_money(self.price, self.shop.currency)

    @property
    def compare_at_display(self) -> str:
        return format_money(self.compare_at_price, self.shop.currency) if self.compare_at_price else ""

    @property
    def in_stock(self) -> bool:
        return self.stock is None or self.stock > 0

    @property
    def needs_shipping(self) -> bool:
        return self.kind == self.Kind.PHYSICAL

    @property
    def cover(self):
        images = list(self.images.all())
        return images[0] if images else None


class ProductImage(models.Model):
    """An uploaded picture, re-encoded by the service that stores it, with its thumbnail."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="products/%Y/%m/")
    thumbnail = models.ImageField(upload_to="products/%Y/%m/thumbs/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return f"Image {self.position} of {self.product}"


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


class ShopDailyStats(models.Model):
    """Per shop and day: paid orders and their GMV (net of discounts, before tax and
    shipping), less refunds. Kept by the payment and refund services; dashboards read it
    instead of scanning orders."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="daily_stats")
    day = models.DateField()
    orders = models.IntegerField(default=0)
    gmv = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["shop", "day"], name="one_shop_stats_per_day")]
        verbose_name_plural = "shop daily stats"

    def __str__(self):
        return f"{self.shop_id} {self.day}: {self.orders} orders"
