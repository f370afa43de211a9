from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from common.countries import COUNTRY_CHOICES
from common.models import audit_trail
from common.money import format_money
from shops.models import Category, Product, Shop

RATE = {"max_digits": 5, "decimal_places": 2,
        "validators": [MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("80"))]}
MIN_RATE, MAX_RATE = Decimal("1"), Decimal("80")


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
    # Past performance over the last 90 days, refreshed nightly by tracking from its rollups.
    orders_90d = models.PositiveIntegerField(default=0, editable=False)
    gmv_90d = models.JSONField(default=dict, blank=True, editable=False, help_text="{currency: amount}")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["orders_90d", "gmv_90d", "payout_account"])
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
    def gmv_90d_display(self) -> str:
        return " · ".join(format_money(Decimal(amount), currency) for currency, amount in sorted(self.gmv_90d.items()))

    @property
    def audience_gender(self) -> str:
        if self.audience_female_pct > self.audience_male_pct:
            return "female"
        if self.audience_male_pct > self.audience_female_pct:
            return "male"
        return "mixed"


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


class Collaboration(models.Model):
    """A targeted collaboration: one creator, one shop, their own rates, until it ends."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    TRANSITIONS = {Status.ACTIVE: {Status.ENDED}}

    program = models.ForeignKey(AffiliateProgram, on_delete=models.CASCADE, related_name="collaborations")
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="collaborations")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # The rate for every product of the shop, or empty when the rates are per product.
    all_products_rate = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    audit_entries = audit_trail("collaboration")

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["creator", "status"], name="collab_creator_status")]

    def __str__(self):
        return f"{self.creator} x {self.program.shop}"

    def is_active_at(self, at) -> bool:
        if self.started_at > at:
            return False
        if self.ended_at is not None and self.ended_at <= at:
            return False
        return not (self.ends_on and at.date() > self.ends_on)


class CollaborationProduct(models.Model):
    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="products")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="collaboration_rates")
    rate = models.DecimalField(**RATE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["collaboration", "product"], name="collab_product_once")]

    def __str__(self):
        return f"{self.product} at {self.rate}%"


class Invitation(models.Model):
    """A seller's offer to one creator: rates per product (or all products), answered within 14 days."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        EXPIRED = "expired", "Expired"

    TRANSITIONS = {Status.PENDING: {Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN, Status.EXPIRED}}
    LIFETIME = timedelta(days=14)

    program = models.ForeignKey(AffiliateProgram, on_delete=models.CASCADE, related_name="invitations")
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="invitations")
    message = models.TextField(max_length=2000, blank=True)
    all_products_rate = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    collaboration_ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    collaboration = models.OneToOneField(Collaboration, on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="invitation")

    audit_entries = audit_trail("invitation")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation from {self.program.shop} to {self.creator}"


class InvitationProduct(models.Model):
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="products")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    rate = models.DecimalField(**RATE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["invitation", "product"], name="invitation_product_once")]

    def __str__(self):
        return f"{self.product} at {self.rate}%"


class Application(models.Model):
    """A creator asks to promote one product, or the whole shop."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the seller"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    TRANSITIONS = {Status.PENDING: {Status.APPROVED, Status.DECLINED, Status.WITHDRAWN}}

    program = models.ForeignKey(AffiliateProgram, on_delete=models.CASCADE, related_name="applications")
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="applications")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                help_text="Empty: the whole shop.")
    message = models.TextField(max_length=2000, blank=True)
    response = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    audit_entries = audit_trail("application")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["program", "creator", "product"], condition=Q(status="pending"),
                                    name="one_pending_application_per_product"),
            models.UniqueConstraint(fields=["program", "creator"], condition=Q(status="pending", product=None),
                                    name="one_pending_application_per_shop"),
        ]

    def __str__(self):
        return f"{self.creator} applies to {self.product or self.program.shop}"


class SampleRequest(models.Model):
    """A creator asks for a free sample; after delivery they owe content within 14 days."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Expired (not answered in time)"
        SHIPPED = "shipped", "Shipped"
        DELIVERED = "delivered", "Delivered"
        FULFILLED = "fulfilled", "Content posted"
        OVERDUE = "overdue", "Content overdue"

    TRANSITIONS = {
        Status.REQUESTED: {Status.APPROVED, Status.DECLINED, Status.EXPIRED},
        Status.APPROVED: {Status.SHIPPED},
        Status.SHIPPED: {Status.DELIVERED},
        Status.DELIVERED: {Status.FULFILLED, Status.OVERDUE},
        Status.OVERDUE: {Status.FULFILLED},
    }
    ANSWER_WITHIN = timedelta(days=7)
    CONTENT_WITHIN = timedelta(days=14)

    program = models.ForeignKey(AffiliateProgram, on_delete=models.CASCADE, related_name="sample_requests")
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="sample_requests")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    message = models.TextField(max_length=1000, blank=True)
    shipping_address = models.TextField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED, db_index=True)
    decline_reason = models.CharField(max_length=500, blank=True)
    tracking_number = models.CharField(max_length=64, blank=True)
    content_url = models.URLField(blank=True)
    requested_at = models.DateTimeField()
    answer_by = models.DateTimeField(db_index=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    content_due = models.DateTimeField(null=True, blank=True, db_index=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)

    audit_entries = audit_trail("sample_request")

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"Sample of {self.product} for {self.creator}"


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
