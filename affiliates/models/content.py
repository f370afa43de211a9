"""Creator codes (a code a buyer types at checkout, which credits the creator and may give
the buyer a discount) and content pieces (a creator's video or post, the products in it,
each with its own tracked links)."""

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

from common.money import format_money
from shops.models import Product

from .creators import Creator
from .programs import AffiliateProgram

CODE_PATTERN = RegexValidator(r"^[A-Z0-9]{4,20}$", "A code is 4 to 20 letters and digits, like MIKA10.")


def normalize_code(text: str) -> str:
    """How a code is stored and looked up: no spaces, upper case (codes are case-insensitive)."""
    return "".join((text or "").split()).upper()


class CreatorCode(models.Model):
    """A creator's code at one shop. A buyer who enters it at checkout is credited to the
    creator (before any link click) and, if the seller says so, gets a discount the seller
    pays. The seller may end or switch off a code; `uses` counts orders placed with it."""

    class Discount(models.TextChoices):
        NONE = "none", "No discount"
        PERCENT = "percent", "Percent off"
        FIXED = "fixed", "Amount off"

    program = models.ForeignKey(AffiliateProgram, on_delete=models.CASCADE, related_name="creator_codes")
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=20, validators=[CODE_PATTERN])
    discount_kind = models.CharField("buyer discount", max_length=10, choices=Discount.choices,
                                     default=Discount.NONE)
    discount_value = models.DecimalField(
        "discount (% or amount)", max_digits=10, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))])
    discount_cap = models.DecimalField(
        "at most (amount, optional)", max_digits=10, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))], help_text="The largest discount one order gets.")
    starts_on = models.DateField(null=True, blank=True, help_text="Empty: from now on.")
    ends_on = models.DateField(null=True, blank=True, help_text="Empty: no end. The code works through this day (UTC).")
    usage_limit = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: no limit.")
    uses = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField("active", default=True, help_text="Switch a leaked code off here.")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="one_code_per_shop"),
            models.UniqueConstraint(fields=["program", "creator"], name="one_code_per_creator_shop"),
            models.CheckConstraint(condition=Q(usage_limit__isnull=True) | Q(uses__lte=models.F("usage_limit")),
                                   name="code_uses_within_limit"),
            models.CheckConstraint(condition=~Q(discount_kind="percent") | Q(discount_value__lte=90),
                                   name="code_percent_at_most_90"),
        ]

    def __str__(self):
        return self.code

    def describe_discount(self, currency: str) -> str:
        if self.discount_kind == self.Discount.PERCENT and self.discount_value:
            text = f"{self.discount_value.normalize():f} % off"
        elif self.discount_kind == self.Discount.FIXED and self.discount_value:
            text = f"{format_money(self.discount_value, currency)} off"
        else:
            return "no discount for the buyer"
        if self.discount_cap is not None and self.discount_kind == self.Discount.PERCENT:
            text += f" (at most {format_money(self.discount_cap, currency)})"
        return text


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if number == 0:
            return text


class Content(models.Model):
    """A piece of content a creator posted (a video or post anywhere), with the products
    it features. Its links are the creator's product links with the content's tag:
    /r/<link code>/<tag>, so clicks, orders and commission add up per content piece."""

    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="contents")
    url = models.URLField("web address", max_length=500)
    title = models.CharField(max_length=120)
    platform = models.CharField(max_length=20, blank=True)
    products = models.ManyToManyField(Product, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["creator", "url"], name="one_content_per_url")]

    def __str__(self):
        return self.title

    @property
    def tag(self) -> str:
        """The short tag in its links: the id in base 36 (the redirect needs no lookup)."""
        return _base36(self.pk)


def content_id_from_tag(tag: str) -> int | None:
    if not tag or len(tag) > 8 or not tag.isalnum():
        return None
    try:
        return int(tag, 36)
    except ValueError:
        return None

