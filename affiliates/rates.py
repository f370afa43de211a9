"""The rate rule: which commission rate creator C earns on product P at time T, and why.

Precedence: an active targeted collaboration's rate (the product's own, else its
all-products rate), else the product's open-collaboration rate, else the program
default. Rates of the open product and of the program default have a history
(RateChange): a raise applies at once; a cut reaches a creator who already held a link
for the product before the cut only RATE_CUT_NOTICE (30 days) after it.

Nothing else computes rates. Callers that know when the creator's link was made pass it
as `link_since`; without it the creator is treated as new to the product.
"""

from collections import defaultdict
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
    # How a seller reads each source ("why this rate").
    LABELS = {TARGETED: "Targeted collaboration", OPEN: "Product's open rate", DEFAULT: "Program default"}


@dataclass(frozen=True)
class PendingCut:
    """A lower rate that reaches a link holder later: `rate` from `applies_at` on (None
    only inside rate_at, for a product that stops being open)."""

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


@dataclass(frozen=True)
class RateQuestion:
    """One question for the rule: creator C, product P (of shop S), at T, link held since L."""

    creator_id: int
    product_id: int
    shop_id: int
    at: datetime
    link_since: datetime | None = None
    # Ask what the product would earn without the creator's targeted collaborations (what
    # ending one leaves them).
    without_targeted: bool = False


class RateBook:
    """Everything the rule reads for a set of questions, loaded with a few queries in all,
    so the answers for thousands of order lines cost no query per line."""

    def __init__(self, questions: list[RateQuestion]):
        shop_ids = {q.shop_id for q in questions}
        product_ids = {q.product_id for q in questions}
        creator_ids = {q.creator_id for q in questions}
        self.programs = {p.shop_id: p for p in AffiliateProgram.objects.filter(shop_id__in=shop_ids)
                         .select_related("shop")}
        program_ids = [p.pk for p in self.programs.values()]
        self.collaborations: dict[tuple[int, int], list[Collaboration]] = defaultdict(list)
        for collaboration in Collaboration.objects.filter(program_id__in=program_ids, creator_id__in=creator_ids
                                                          ).prefetch_related("products"):
            self.collaborations[(collaboration.creator_id, collaboration.program_id)].append(collaboration)
        self.approvals: set[tuple[int, int, int | None]] = set(
            Application.objects.filter(program_id__in=program_ids, creator_id__in=creator_ids,
                                       status=Application.Status.APPROVED)
            .values_list("creator_id", "program_id", "product_id"))
        self.open_products = set(OpenProduct.objects.filter(product_id__in=product_ids)
                                 .values_list("product_id", flat=True))
        self.changes: dict[tuple[int, int | None], list[RateChange]] = defaultdict(list)
        for change in RateChange.objects.filter(program_id__in=program_ids).filter(
                Q(product_id__in=product_ids) | Q(product__isnull=True)).order_by("changed_at", "pk"):
            self.changes[(change.program_id, change.product_id)].append(change)

    def answer(self, q: RateQuestion) -> RateQuote | None:
        program = self.programs.get(q.shop_id)
        if program is None or program.joined_at > q.at or (program.left_at is not None and program.left_at <= q.at):
            return None
        shop_name = program.shop.name

        targeted = None
        for collaboration in ([] if q.without_targeted else self.collaborations.get((q.creator_id, program.pk), [])):
            if not collaboration.is_active_at(q.at):
                continue
            rates = [item.rate for item in collaboration.products.all() if item.product_id == q.product_id]
            rate = rates[0] if rates else collaboration.all_products_rate
            if rate is not None and (targeted is None or rate > targeted):
                targeted = rate
        if targeted is not None:
            return RateQuote(rate=targeted, source=Source.TARGETED, allowed=True,
                             reason=f"Your collaboration with {shop_name}")

        approved = ((q.creator_id, program.pk, q.product_id) in self.approvals
                    or (q.creator_id, program.pk, None) in self.approvals)
        is_open = q.product_id in self.open_products or program.all_products_open
        allowed = approved or (is_open and not program.requires_approval)

        product_rate, product_pending = rate_at(self.changes.get((program.pk, q.product_id), []), at=q.at,
                                                link_since=q.link_since)
        if product_rate is not None:
            if product_pending is not None and product_pending.rate is None:
                # The product stops being open for this link holder later: the default follows.
                after, _ = rate_at(self.changes.get((program.pk, None), []), at=product_pending.applies_at,
                                   link_since=q.link_since)
                product_pending = PendingCut(rate=after if after is not None else program.default_rate,
                                             applies_at=product_pending.applies_at)
            return RateQuote(rate=product_rate, source=Source.OPEN, allowed=allowed, pending_cut=product_pending,
                             reason=f"{shop_name}'s open rate for this product")
        default_rate, default_pending = rate_at(self.changes.get((program.pk, None), []), at=q.at,
                                                link_since=q.link_since)
        return RateQuote(rate=default_rate if default_rate is not None else program.default_rate,
                         source=Source.DEFAULT, allowed=allowed, pending_cut=product_pending or default_pending,
                         reason=f"{shop_name}'s program default rate")


def rates_for(questions: list[RateQuestion]) -> list[RateQuote | None]:
    """The rule for many (creator, product, time) questions at once, in a few queries."""
    book = RateBook(questions)
    return [book.answer(q) for q in questions]


def rate_for(*, creator: Creator, product: Product, at: datetime | None = None,
             link_since: datetime | None = None) -> RateQuote | None:
    """The rate this creator earns on this product at `at` (default now), and why.

    None when the shop has no affiliate program at that time.
    """
    question = RateQuestion(creator_id=creator.pk, product_id=product.pk, shop_id=product.shop_id,
                            at=at or timezone.now(), link_since=link_since)
    return rates_for([question])[0]
