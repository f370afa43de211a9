"""The rate rule: which commission rate creator C earns on product P at time T, and why.

Precedence: an active targeted collaboration's rate (the product's own, else its
all-products rate), else the product's open-collaboration rate, else the program
default. Rates of the open product and of the program default have a history
(RateChange): a raise applies at once; a cut reaches a creator who already held a link
for the product before the cut only RATE_CUT_NOTICE (30 days) after it.

Nothing else computes rates. Callers that know when the creator's link was made pass it
as `link_since`; without it the creator is treated as new to the product.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from shops.models import Product

from .models import RATE_CUT_NOTICE, AffiliateProgram, Application, Collaboration, Creator, OpenProduct, RateChange


class Source:
    TARGETED = "targeted"
    OPEN = "open"
    DEFAULT = "default"


@dataclass(frozen=True)
class PendingCut:
    rate: Decimal | None
    applies_at: datetime


@dataclass(frozen=True)
class RateQuote:
    rate: Decimal
    source: str
    reason: str
    # May the creator promote this product now (or must they apply first)?
    allowed: bool
    # A cut already announced that reaches this link holder later.
    pending_cut: PendingCut | None = None


def rate_at(changes: Sequence[RateChange], *, at: datetime, link_since: datetime | None):
    """The rate a history gives at `at` for someone holding a link since `link_since`.

    Returns (rate, pending cut). The rate is that of the latest change already applied
    to this person; a cut made after their link existed applies RATE_CUT_NOTICE late.
    """
    rate, latest_applied, pending = None, None, None
    for change in changes:
        if change.changed_at > at:
            break
        delayed = change.is_cut and link_since is not None and link_since < change.changed_at
        applies_at = change.changed_at + RATE_CUT_NOTICE if delayed else change.changed_at
        if applies_at <= at:
            rate, latest_applied, pending = change.new_rate, change, None
        else:
            pending = PendingCut(rate=change.new_rate, applies_at=applies_at)
    if latest_applied is None and pending is not None:
        # Only a delayed change so far: its old rate is what holds until it applies.
        rate = changes[0].old_rate
    return rate, pending


def _targeted(creator: Creator, product: Product, program: AffiliateProgram, at: datetime):
    collaborations = (
        Collaboration.objects.filter(program=program, creator=creator, started_at__lte=at)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=at))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=at.date()))
        .prefetch_related("products")
    )
    best = None
    for collaboration in collaborations:
        rates = [item.rate for item in collaboration.products.all() if item.product_id == product.pk]
        rate = rates[0] if rates else collaboration.all_products_rate
        if rate is not None and (best is None or rate > best):
            best = rate
    return best


def _approved(creator: Creator, product: Product, program: AffiliateProgram) -> bool:
    return Application.objects.filter(
        program=program, creator=creator, status=Application.Status.APPROVED
    ).filter(Q(product=product) | Q(product__isnull=True)).exists()


def rate_for(*, creator: Creator, product: Product, at: datetime | None = None,
             link_since: datetime | None = None) -> RateQuote | None:
    """The rate this creator earns on this product at `at` (default now), and why.

    None when the shop has no affiliate program at that time.
    """
    at = at or timezone.now()
    program = AffiliateProgram.objects.filter(shop_id=product.shop_id, joined_at__lte=at).first()
    if program is None or (program.left_at is not None and program.left_at <= at):
        return None
    shop_name = product.shop.name

    targeted = _targeted(creator, product, program, at)
    if targeted is not None:
        return RateQuote(rate=targeted, source=Source.TARGETED, allowed=True,
                         reason=f"Your collaboration with {shop_name}")

    open_product = OpenProduct.objects.filter(product=product).first()
    approved = _approved(creator, product, program)
    is_open = open_product is not None or program.all_products_open
    allowed = approved or (is_open and not program.requires_approval)

    product_changes = list(RateChange.objects.filter(program=program, product=product))
    product_rate, product_pending = rate_at(product_changes, at=at, link_since=link_since)
    if product_rate is not None:
        return RateQuote(rate=product_rate, source=Source.OPEN, allowed=allowed, pending_cut=product_pending,
                         reason=f"{shop_name}'s open rate for this product")

    default_changes = list(RateChange.objects.filter(program=program, product__isnull=True))
    default_rate, default_pending = rate_at(default_changes, at=at, link_since=link_since)
    if default_rate is None:
        default_rate = program.default_rate
    return RateQuote(rate=default_rate, source=Source.DEFAULT, allowed=allowed,
                     pending_cut=product_pending or default_pending,
                     reason=f"{shop_name}'s program default rate")
