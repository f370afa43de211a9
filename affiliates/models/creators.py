"""Creators and their public showcase."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from common.countries import COUNTRY_CHOICES
from common.models import audit_trail
from shops.models import Category, Product


class Creator(models.Model):
    """The creator role: a person who promotes products. Staff approve new creators."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SUSPENDED = "suspended", "Suspended"

    class AgeBracket(models.TextChoices):
        A13 = "13-17", "13-17"
        A18 = "18-24", "18-24"
        A25 = "25-34", "25-34"
        A35 = "35-44", "35-44"
        A45 = "45-54", "45-54"
        A55 = "55+", "55+"

    class PayoutMethod(models.TextChoices):
        PAYPAL = "paypal", "PayPal"
        BANK = "bank", "Bank transfer"

    TRANSITIONS = {
        Status.PENDING: {Status.APPROVED, Status.REJECTED},
        Status.REJECTED: {Status.PENDING},
        Status.APPROVED: {Status.SUSPENDED},
        Status.SUSPENDED: {Status.APPROVED},
    }
    REQUIRED_FOR_REVIEW = {
        "handle": "a handle",
        "display_name": "a display name",
        "social_url": "the address of your social account",
        "followers": "your follower count",
    }

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="creator")
    handle = models.SlugField(max_length=30, unique=True, null=True, blank=True,
                              help_text="Your public showcase is /@handle. Letters, digits, hyphens, underscores.")
    display_name = models.CharField(max_length=80, blank=True)
    bio = models.TextField(max_length=1000, blank=True)
    avatar = models.ImageField(upload_to="creators/avatars/", blank=True)
    niches = models.ManyToManyField(Category, blank=True, related_name="creators")
    social_url = models.URLField("social account", blank=True)
    followers = models.PositiveIntegerField(default=0, validators=[MaxValueValidator(2_000_000_000)])
    average_views = models.PositiveIntegerField(default=0, validators=[MaxValueValidator(2_000_000_000)])
    engagement_rate = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)], help_text="Percent of viewers who interact.",
    )
    audience_top_country = models.CharField(max_length=2, choices=COUNTRY_CHOICES, blank=True)
    audience_female_pct = models.PositiveSmallIntegerField(
        "audience female %", default=0, validators=[MaxValueValidator(100)])
    audience_male_pct = models.PositiveSmallIntegerField(
        "audience male %", default=0, validators=[MaxValueValidator(100)])
    audience_top_age = models.CharField("audience's main age bracket", max_length=5, choices=AgeBracket.choices,
                                        blank=True)
    payout_method = models.CharField(max_length=10, choices=PayoutMethod.choices, blank=True)
    payout_account = models.CharField(max_length=120, blank=True,
                                      help_text="Your PayPal email, or your bank account reference.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    status_reason = models.CharField(max_length=500, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["payout_account"])
    audit_entries = audit_trail("creator")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(audience_female_pct__lte=100 - models.F("audience_male_pct")),
                                   name="creator_gender_split_le_100"),
        ]

    def __str__(self):
        return f"@{self.handle}" if self.handle else f"Creator #{self.pk}"

    def get_absolute_url(self):
        return reverse("shop:showcase", kwargs={"handle": self.handle}) if self.handle else ""

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def missing_for_review(self) -> list[str]:
        return [label for field, label in self.REQUIRED_FOR_REVIEW.items() if not getattr(self, field)]

    @property
    def payout_account_masked(self) -> str:
        """What pages show of the payout account: enough to recognise it, not to use it."""
        account = self.payout_account
        if not account:
            return ""
        if "@" in account:
            name, _, domain = account.partition("@")
            return f"{name[:1]}***@{domain}"
        return f"***{account[-4:]}" if len(account) > 4 else "***"

    @property
    def audience_gender(self) -> str:
        if self.audience_female_pct > self.audience_male_pct:
            return "female"
        if self.audience_male_pct > self.audience_female_pct:
            return "male"
        return "mixed"


class ShowcaseItem(models.Model):
    """A product on a creator's public showcase, /@handle, in the creator's order."""

    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="showcase_items")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["creator", "product"], name="showcase_product_once")]

    def __str__(self):
        return f"{self.product} on {self.creator}'s showcase"
