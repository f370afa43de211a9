"""A seller's shop and its daily figures."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from common.countries import COUNTRY_CHOICES
from common.models import audit_trail
from common.money import CURRENCY_CHOICES

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
