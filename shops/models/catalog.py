"""What a shop sells: categories, products and their pictures."""


from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from common.html import sanitize_html
from common.models import audit_trail
from common.money import format_money

from .shops import MONEY, Shop


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
