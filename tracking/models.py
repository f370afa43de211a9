import secrets
import string
import uuid
from decimal import Decimal

from django.db import models
from django.urls import reverse

from affiliates.models import Content, Creator, CreatorCode
from shops.models import Order, Product, Shop

_CODE_ALPHABET = string.ascii_letters + string.digits
CODE_LENGTH = 10  # 62**10, about 8e17 codes: not guessable by walking them


def new_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Link(models.Model):
    """A creator's own link to one product: /r/<code>. It never changes once made."""

    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="links")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="links")
    code = models.CharField(max_length=16, unique=True, default=new_code, editable=False)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["creator", "product"], name="one_link_per_creator_product")]
        ordering = ["-created_at"]

    def __str__(self):
        return f"/r/{self.code} ({self.creator} -> {self.product})"

    def get_absolute_url(self):
        return reverse("redirect", kwargs={"code": self.code})


class Click(models.Model):
    """One visit through a link. The id is made in the redirect, so a click delivered twice
    (stream redelivery, retried batch) is stored once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: click_link_at (link, at) serves every lookup by link.
    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="clicks", db_index=False)
    at = models.DateTimeField()
    visitor_id = models.CharField(max_length=36)
    ip_hash = models.CharField(max_length=32)
    user_agent = models.CharField(max_length=300, blank=True)
    referrer = models.CharField(max_length=500, blank=True)
    is_bot = models.BooleanField(default=False)
    is_prefetch = models.BooleanField(default=False, help_text="Prefetch or not a navigation: no cookie was set.")
    is_duplicate = models.BooleanField(default=False, help_text="Same visitor and link within 30 minutes.")
    is_burst = models.BooleanField(default=False, help_text="Too many clicks per minute from one IP.")
    # The content piece whose link was followed (/r/<code>/<tag>), checked when stored.
    # Not indexed: reports per content piece read ContentDaily, never raw clicks.
    content = models.ForeignKey(Content, on_delete=models.SET_NULL, null=True, blank=True, db_constraint=False,
                                related_name="+", db_index=False)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["link", "at"], name="click_link_at"),
            models.Index(fields=["visitor_id", "link", "at"], name="click_visitor_link_at"),
            models.Index(fields=["ip_hash", "at"], name="click_ip_at"),
            models.Index(fields=["at"], name="click_at"),
        ]

    def __str__(self):
        return f"click {self.id} on {self.link_id} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def is_flagged(self) -> bool:
        return self.is_bot or self.is_prefetch or self.is_burst


class Conversion(models.Model):
    """What attribution decided for one order: the creator credited, or why nobody is."""

    class Outcome(models.TextChoices):
        ATTRIBUTED = "attributed", "Attributed to the last clean click"
        NO_CLICK = "no_click", "No click of this shop in the cookie"
        OUTSIDE_WINDOW = "outside_window", "Clicks older than the attribution window"
        FLAGGED = "flagged", "Only flagged clicks (bot, prefetch, burst)"
        SELF_REFERRAL = "self_referral", "The buyer is the creator"
        NOT_ELIGIBLE = "not_eligible", "The link attributed nothing (ended, suspended or not allowed)"

    class Via(models.TextChoices):
        LINK = "link", "Link click"
        CODE = "code", "Creator code"

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="conversion")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    link = models.ForeignKey(Link, on_delete=models.PROTECT, null=True, blank=True, related_name="conversions")
    click = models.ForeignKey(Click, on_delete=models.SET_NULL, null=True, blank=True, db_constraint=False,
                              related_name="+")
    creator = models.ForeignKey(Creator, on_delete=models.PROTECT, null=True, blank=True, related_name="conversions")
    click_at = models.DateTimeField(null=True, blank=True)
    link_created_at = models.DateTimeField(null=True, blank=True)
    # How the credit came: a link click (of a content piece, if its link had the tag), or
    # the creator's code the buyer entered (which wins over any click). `note` says why.
    via = models.CharField(max_length=4, choices=Via.choices, default=Via.LINK, db_default=Via.LINK)
    code = models.ForeignKey(CreatorCode, on_delete=models.SET_NULL, null=True, blank=True, related_name="conversions")
    content = models.ForeignKey(Content, on_delete=models.SET_NULL, null=True, blank=True, related_name="conversions")
    note = models.CharField(max_length=200, blank=True, default="", db_default="")
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["creator", "outcome"], name="conversion_creator_outcome"),
            models.Index(fields=["-created_at"], name="conversion_latest"),
        ]

    def __str__(self):
        return f"{self.order}: {self.get_outcome_display()}"

    @property
    def is_attributed(self) -> bool:
        return self.outcome == self.Outcome.ATTRIBUTED


class DailyLinkStats(models.Model):
    """The rollup every dashboard reads: per day and link, kept current by the tasks that
    store clicks, conversions and commissions. Shop, product and creator are copied in so
    dashboards group without joins to the link."""

    day = models.DateField()
    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="daily_stats")
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="+")
    clicks = models.PositiveIntegerField(default=0)
    unique_clicks = models.PositiveIntegerField(default=0)
    flagged_clicks = models.PositiveIntegerField(default=0)
    orders = models.PositiveIntegerField(default=0)
    items = models.PositiveIntegerField(default=0)
    gmv = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    commission = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    # Of `orders` and `gmv`, what a creator code credited (the rest came by link click).
    code_orders = models.PositiveIntegerField(default=0, db_default=0)
    code_gmv = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"), db_default=Decimal("0"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "link"], name="one_rollup_per_day_link")]
        indexes = [
            models.Index(fields=["shop", "day"], name="stats_shop_day"),
            models.Index(fields=["creator", "day"], name="stats_creator_day"),
        ]
        verbose_name_plural = "daily link stats"

    def __str__(self):
        return f"{self.day} {self.link_id}: {self.clicks} clicks, {self.orders} orders"


class _Counters(models.Model):
    clicks = models.PositiveIntegerField(default=0)
    unique_clicks = models.PositiveIntegerField(default=0)
    flagged_clicks = models.PositiveIntegerField(default=0)
    orders = models.PositiveIntegerField(default=0)
    items = models.PositiveIntegerField(default=0)
    gmv = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    commission = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    code_orders = models.PositiveIntegerField(default=0, db_default=0)
    code_gmv = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"), db_default=Decimal("0"))

    class Meta:
        abstract = True


class ShopAffiliateDaily(_Counters):
    """DailyLinkStats summed per shop and day: a shop's headline figures and charts read a
    row per day, however many creators and links it has."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["shop", "day"], name="one_shop_affiliate_row_per_day")]
        verbose_name_plural = "shop affiliate daily stats"

    def __str__(self):
        return f"{self.shop_id} {self.day}"


class ProductAffiliateDaily(_Counters):
    """DailyLinkStats summed per product and day: the product table reads a row per product
    and day, however many creators promote it."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["product", "day"], name="one_product_affiliate_row_per_day")]
        indexes = [models.Index(fields=["shop", "day"], name="product_daily_shop_day")]
        verbose_name_plural = "product affiliate daily stats"

    def __str__(self):
        return f"{self.product_id} {self.day}"


class CreatorPerformance(models.Model):
    """A creator's attributed orders and GMV over the last 90 days, per currency, for
    sellers looking for creators. Tracking owns these figures: the nightly task
    recomputes them from the rollups (services.creators_performance_refresh)."""

    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="performance")
    currency = models.CharField(max_length=3)
    orders = models.PositiveIntegerField(default=0)
    gmv = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    refreshed_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["creator", "currency"], name="one_performance_per_currency")]
        indexes = [models.Index(fields=["currency", "gmv"], name="performance_currency_gmv")]
        verbose_name_plural = "creator performance"

    def __str__(self):
        return f"{self.creator_id}: {self.orders} orders, {self.gmv} {self.currency}"


class ContentDaily(_Counters):
    """DailyLinkStats of the clicks through content links, and of the orders and commission
    they brought, per content piece, shop and day: "which video sold"."""

    content = models.ForeignKey(Content, on_delete=models.CASCADE, related_name="+")
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content", "shop", "day"], name="one_content_row_per_day")]
        indexes = [models.Index(fields=["shop", "day"], name="content_daily_shop_day"),
                   models.Index(fields=["creator", "day"], name="content_daily_creator_day")]
        verbose_name_plural = "content daily stats"

    def __str__(self):
        return f"{self.content_id} {self.shop_id} {self.day}"


class ShopCreator(models.Model):
    """A creator who has brought a shop anything the rollups count: the list the shop's
    creator ranking walks, and the row each writer of the pair's running totals locks."""

    # The unique constraints below lead with the shop: no index of its own.
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+", db_index=False)
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="+")
    # The pair's figures to date as of its latest ShopCreatorToDate row (`day`): the sums of
    # every increment so far. A period that ends on or after `day` (the usual "last N
    # days") takes its end from here instead of probing the rows to date.
    day = models.DateField(null=True, blank=True)
    clicks = models.PositiveBigIntegerField(default=0, db_default=0)
    unique_clicks = models.PositiveBigIntegerField(default=0, db_default=0)
    orders = models.PositiveBigIntegerField(default=0, db_default=0)
    gmv = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal("0"), db_default=Decimal("0"))
    commission = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal("0"), db_default=Decimal("0"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["shop", "creator"], name="one_row_per_shop_creator")]

    def __str__(self):
        return f"{self.shop_id} {self.creator_id}"


class ShopCreatorToDate(models.Model):
    """A creator's figures for a shop from their first day up to and including `day`, one
    row per day the rollups changed for the pair. The figures of any period are two rows'
    difference (the last row on or before its end minus the last row before its start), so
    ranking a shop's creators (and the performance page's table by creator) reads two rows
    per creator, however long the period is. Kept by rollups.rollup_add beside
    DailyLinkStats, which they always equal in sum."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+", db_index=False)
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    clicks = models.PositiveBigIntegerField(default=0)
    unique_clicks = models.PositiveBigIntegerField(default=0, db_default=0)
    orders = models.PositiveBigIntegerField(default=0)
    gmv = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal("0"))
    commission = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal("0"))

    class Meta:
        # The ranking's probes read the figures from the index alone (PostgreSQL; SQLite ignores `include`).
        constraints = [models.UniqueConstraint(fields=["shop", "creator", "day"], name="one_to_date_row_per_day",
                                               include=["clicks", "unique_clicks", "orders", "gmv", "commission"])]
        # A shop's rows of one day in one index range: the ranking reads the figures before a
        # period's start for every creator active the day before it without a probe each.
        indexes = [models.Index(fields=["shop", "day"], name="to_date_rows_of_a_day",
                                include=["creator", "clicks", "unique_clicks", "orders", "gmv", "commission"])]
        verbose_name_plural = "shop creator figures to date"

    def __str__(self):
        return f"{self.shop_id} {self.creator_id} to {self.day}"
