"""A shop's affiliate program: its terms, open products and rate history."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from common.models import audit_trail
from shops.models import Product, Shop

RATE = {"max_digits": 5, "decimal_places": 2,
        "validators": [MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("80"))]}


MIN_RATE = Decimal("1")


MAX_RATE = Decimal("80")


class AffiliateProgram(models.Model):
    """A shop's affiliate program: its terms, and which products every creator may promote."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        LEFT = "left", "Left the program"

    TRANSITIONS = {Status.ACTIVE: {Status.LEFT}, Status.LEFT: {Status.ACTIVE}}

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="affiliate_program")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    default_rate = models.DecimalField("default commission rate (%)", **RATE)
    attribution_window_days = models.PositiveSmallIntegerField(
        default=14, validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="A sale counts for the creator whose link the buyer clicked within this many days.",
    )
    hold_days = models.PositiveSmallIntegerField(
        "hold period (days)", default=30, validators=[MinValueValidator(0), MaxValueValidator(180)],
        help_text="Commissions are approved this many days after payment; never shorter than your return window.",
    )
    requires_approval = models.BooleanField(
        "creators need approval", default=False,
        help_text="Creators apply before they may promote your open products.",
    )
    min_followers = models.PositiveIntegerField(
        "auto-approve from followers", default=0, validators=[MaxValueValidator(2_000_000_000)],
        help_text="Applications from creators with at least this many followers are approved at once (0: never).",
    )
    terms = models.TextField(max_length=5000, blank=True)
    all_products_open = models.BooleanField(
        "open all products at the default rate", default=False,
        help_text="Every live product is open to every creator; per-product open rates still win.",
    )
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    audit_entries = audit_trail("program")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(default_rate__gte=1) & Q(default_rate__lte=80),
                                   name="program_default_rate_range"),
        ]

    def __str__(self):
        return f"Affiliate program of {self.shop}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class OpenProduct(models.Model):
    """A product open to every creator, at its own rate or the program default (rate empty)."""

    program = models.ForeignKey(AffiliateProgram, on_delete=models.CASCADE, related_name="open_products")
    product = models.OneToOneField(Product, on_delete=models.CASCADE, related_name="open_collaboration")
    rate = models.DecimalField("rate (%)", **RATE, null=True, blank=True)
    opened_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(rate__isnull=True) | (Q(rate__gte=1) & Q(rate__lte=80)),
                                   name="open_product_rate_range"),
        ]

    def __str__(self):
        return f"{self.product} open at {self.rate or 'default'}%"


class RateChange(models.Model):
    """The history of a rate: the program default (product empty) or a product's open rate.

    A cut reaches creators who already held a link before it only `RATE_CUT_NOTICE` later;
    a raise applies at once. `rates.rate_for` reads this history."""

    program = models.ForeignKey(AffiliateProgram, on_delete=models.CASCADE, related_name="rate_changes")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, null=True, blank=True, related_name="rate_changes")
    old_rate = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    new_rate = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True,
                                   help_text="Empty: the product stopped being open.")
    changed_at = models.DateTimeField(db_index=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        indexes = [models.Index(fields=["program", "product", "changed_at"], name="ratechange_scope_time")]

    def __str__(self):
        scope = self.product or "default"
        return f"{scope}: {self.old_rate} -> {self.new_rate} at {self.changed_at:%Y-%m-%d}"

    @property
    def is_cut(self) -> bool:
        return self.old_rate is not None and (self.new_rate is None or self.new_rate < self.old_rate)


RATE_CUT_NOTICE = timedelta(days=30)
