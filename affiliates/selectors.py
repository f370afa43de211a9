"""Reads of the affiliates app that pages share. Seller reads take the seller's shop,
creator reads take the creator: nothing here returns another owner's rows."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from common.counts import count_each
from shops.models import Product, Shop
from shops.selectors import products_live

from .models import (
    RATE_CUT_NOTICE,
    AffiliateProgram,
    Application,
    Collaboration,
    CollaborationProduct,
    Creator,
    Invitation,
    RateChange,
    SampleRequest,
    ShowcaseItem,
)
from .rates import RateQuestion, RateQuote, Source, rates_for


def creator_for_user(*, user: AbstractBaseUser) -> Creator | None:
    """The creator profile of this person, or None when they are not a creator."""
    if not user.is_authenticated:
        return None
    return Creator.objects.filter(user=user).first()


def program_for_shop(*, shop: Shop) -> AffiliateProgram | None:
    return AffiliateProgram.objects.filter(shop=shop).first()


def _active_collaborations(creator: Creator, now) -> QuerySet[Collaboration]:
    return Collaboration.objects.filter(
        creator=creator, status=Collaboration.Status.ACTIVE, started_at__lte=now,
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=now.date()))


def marketplace_products(*, creator: Creator) -> QuerySet[Product]:
    """Live products of shops in an active program, each annotated with the rate this creator
    would earn if they made their link now (`current_rate`), where it comes from
    (`rate_source`) and whether they may promote it yet (`can_promote`).

    This is the set-based form of `rates.rate_for` for a creator without a link yet, so
    the marketplace can filter and sort by rate in SQL; tests keep the two in agreement.
    """
    now = timezone.now()
    per_collaboration = (
        _active_collaborations(creator, now)
        .filter(program__shop=OuterRef("shop"))
        .annotate(offer=Coalesce(
            Subquery(CollaborationProduct.objects.filter(collaboration=OuterRef("pk"), product=OuterRef(OuterRef("pk")))
                     .values("rate")[:1]),
            F("all_products_rate"),
        ))
        .filter(offer__isnull=False)
        .order_by("-offer")
        .values("offer")[:1]
    )
    approved = Application.objects.filter(
        program__shop=OuterRef("shop"), creator=creator, status=Application.Status.APPROVED,
    ).filter(Q(product=OuterRef("pk")) | Q(product__isnull=True))
    rate_field = DecimalField(max_digits=5, decimal_places=2)
    return (
        products_live()
        .filter(shop__affiliate_program__status=AffiliateProgram.Status.ACTIVE)
        .annotate(
            targeted_rate=Subquery(per_collaboration, output_field=rate_field),
            open_rate=F("open_collaboration__rate"),
            program_rate=F("shop__affiliate_program__default_rate"),
            is_open=Q(open_collaboration__isnull=False) | Q(shop__affiliate_program__all_products_open=True),
            is_approved=Exists(approved),
        )
        .annotate(
            current_rate=Coalesce("targeted_rate", "open_rate", "program_rate", output_field=rate_field),
            rate_source=Case(
                When(targeted_rate__isnull=False, then=Value(Source.TARGETED)),
                When(open_rate__isnull=False, then=Value(Source.OPEN)),
                default=Value(Source.DEFAULT), output_field=CharField(),
            ),
            can_promote=Case(
                When(targeted_rate__isnull=False, then=Value(True)),
                When(is_approved=True, then=Value(True)),
                When(Q(is_open=True) & Q(shop__affiliate_program__requires_approval=False), then=Value(True)),
                default=Value(False), output_field=BooleanField(),
            ),
        )
    )


def creators_for_sellers() -> QuerySet[Creator]:
    """Approved creators sellers may find and invite, with their sample fulfilment record
    (tracking.selectors.creator_directory adds their recent sales)."""
    # Only samples fulfilled by registered content count (a post featuring the product).
    fulfilled = Count("sample_requests", filter=Q(sample_requests__status=SampleRequest.Status.FULFILLED,
                                                  sample_requests__content__isnull=False))
    overdue = Count("sample_requests", filter=Q(sample_requests__status=SampleRequest.Status.OVERDUE))
    return (
        Creator.objects.filter(status=Creator.Status.APPROVED, handle__isnull=False)
        .prefetch_related("niches")
        .annotate(samples_fulfilled=fulfilled, samples_overdue=overdue)
    )


def invitations_of_program(*, program: AffiliateProgram) -> QuerySet[Invitation]:
    return Invitation.objects.filter(program=program).select_related("creator").prefetch_related("products__product")


def collaborations_of_program(*, program: AffiliateProgram) -> QuerySet[Collaboration]:
    return Collaboration.objects.filter(program=program).select_related("creator").prefetch_related(
        "products__product")


def applications_of_program(*, program: AffiliateProgram) -> QuerySet[Application]:
    return Application.objects.filter(program=program).select_related("creator", "product")


def samples_of_program(*, program: AffiliateProgram) -> QuerySet[SampleRequest]:
    return SampleRequest.objects.filter(program=program).select_related("creator", "product")


def invitations_of_creator(*, creator: Creator) -> QuerySet[Invitation]:
    return Invitation.objects.filter(creator=creator).select_related(
        "program__shop", "collaboration").prefetch_related("products__product", "audit_entries",
                                                           "collaboration__products__product")


@dataclass(frozen=True)
class AfterCollaboration:
    """What a creator's links earn now that a targeted collaboration is over."""

    ended_on: date
    at_end_date: bool  # it ran to its agreed end date (else the seller ended it)
    # (product title, what it earns now: a quote, or None when it earns nothing)
    products: list[tuple[str, RateQuote | None]]
    more: bool  # an all-products collaboration has more products than are listed


AFTER_LISTED = 10


def _products_of(collaboration: Collaboration) -> list[Product]:
    """The products a collaboration covers: its own list, or (all-products) the shop's live
    products, the first AFTER_LISTED + 1 by title (one more tells there are more)."""
    if collaboration.all_products_rate is None:
        return [item.product for item in collaboration.products.all()]
    return list(products_live().filter(shop__affiliate_program=collaboration.program_id)
                .order_by("title")[:AFTER_LISTED + 1])


def _earnings_after(collaborations: dict, *, without_targeted: bool) -> dict:
    """For each collaboration (keyed as given): its products' titles with what each earns
    without it, a quote, or None where the creator may not promote the product; and
    whether it covers more products than are listed. The rate rule, asked for now, once."""
    now = timezone.now()
    products = {key: _products_of(collaboration) for key, collaboration in collaborations.items()}
    questions = [RateQuestion(creator_id=collaborations[key].creator_id, product_id=product.pk,
                              shop_id=product.shop_id, at=now, without_targeted=without_targeted)
                 for key, listed in products.items() for product in listed[:AFTER_LISTED]]
    answers = iter(rates_for(questions))
    result = {}
    for key, listed in products.items():
        rows = []
        for product in listed[:AFTER_LISTED]:
            quote = next(answers)
            rows.append((product.title, quote if quote is not None and quote.allowed else None))
        result[key] = (rows, len(listed) > AFTER_LISTED)
    return result


def after_collaborations(*, creator: Creator, invitations) -> dict[int, AfterCollaboration]:
    """For each accepted invitation whose collaboration is over, keyed by invitation id:
    when it ended, and what each of its products earns now (the rate rule, asked for
    now; a product the creator may not promote earns nothing). A few queries in all."""
    now = timezone.now()
    ended = {invitation.pk: invitation.collaboration for invitation in invitations
             if invitation.collaboration is not None and not invitation.collaboration.is_active_at(now)}
    earnings = _earnings_after(ended, without_targeted=False)
    result = {}
    for pk, collaboration in ended.items():
        rows, more = earnings[pk]
        by_seller = collaboration.ended_at is not None
        result[pk] = AfterCollaboration(ended_on=collaboration.ended_at.date() if by_seller else collaboration.ends_on,
                                        at_end_date=not by_seller, products=rows, more=more)
    return result


def ending_consequences(*, collaborations) -> dict[int, str]:
    """For each active collaboration (by id), what ending it now leaves its creator, in a
    sentence per product: the open rate, the program default, or nothing."""
    active = {collaboration.pk: collaboration for collaboration in collaborations
              if collaboration.is_active_at(timezone.now())}
    sentences = {}
    for pk, (rows, more) in _earnings_after(active, without_targeted=True).items():
        parts = [f"{title} earns {describe_quote(quote)}" for title, quote in rows]
        if more:
            parts.append("its other products likewise")
        sentences[pk] = "; ".join(parts) or "nothing is covered"
    return sentences


def describe_quote(quote: RateQuote | None) -> str:
    """What a product earns, in words: "the open rate 10 %", "the program default rate
    8 %" or "nothing (…)"."""
    if quote is None:
        return "nothing (the creator is not approved for it)"
    kind = {Source.OPEN: "the open rate", Source.DEFAULT: "the program default rate"}.get(quote.source, "the rate")
    return f"{kind} {quote.rate.normalize():f} %"


def applications_of_creator(*, creator: Creator) -> QuerySet[Application]:
    return Application.objects.filter(creator=creator).select_related("program__shop", "product").prefetch_related(
        "audit_entries")


def samples_of_creator(*, creator: Creator) -> QuerySet[SampleRequest]:
    return SampleRequest.objects.filter(creator=creator).select_related("program__shop", "product").prefetch_related(
        "audit_entries")


def showcase_of(*, creator: Creator) -> QuerySet[ShowcaseItem]:
    """The creator's showcase, in their order; products no longer for sale drop out."""
    return (
        ShowcaseItem.objects.filter(creator=creator, product__status=Product.Status.LIVE,
                                    product__shop__status=Shop.Status.ACTIVE)
        .select_related("product__shop")
        .prefetch_related("product__images")
    )


def fulfilment_rate(*, fulfilled: int, overdue: int) -> int | None:
    """Percent of delivered samples that got their content in time; None without history."""
    total = fulfilled + overdue
    return round(100 * fulfilled / total) if total else None


def seller_affiliate_waiting(*, program: AffiliateProgram) -> dict[str, QuerySet]:
    """What waits for the seller in the program, to be counted: applications, sample
    requests to send, invitations about to expire."""
    soon = timezone.now() + timedelta(days=3)
    return {
        "applications_pending": Application.objects.filter(program=program, status=Application.Status.PENDING),
        "samples_waiting": SampleRequest.objects.filter(
            program=program, status__in=[SampleRequest.Status.REQUESTED, SampleRequest.Status.APPROVED]),
        "invitations_expiring": Invitation.objects.filter(
            program=program, status=Invitation.Status.PENDING, expires_at__lte=soon),
    }


def seller_affiliate_todo(*, program: AffiliateProgram) -> dict[str, int]:
    """The counts of `seller_affiliate_waiting`, in one statement."""
    return count_each(seller_affiliate_waiting(program=program))


def pending_rate_cuts(*, program: AffiliateProgram) -> list[RateChange]:
    """The program's rate cuts (its default, or a product's open rate) that have not yet
    reached the creators who held a link before them, soonest first; each with
    `applies_at`. A cut that a later raise of the same rate has undone (a raise reaches
    everyone at once) is left out."""
    recent = list(RateChange.objects.filter(program=program, changed_at__gt=timezone.now() - RATE_CUT_NOTICE)
                  .select_related("product").order_by("changed_at", "pk"))
    cuts = []
    for index, change in enumerate(recent):
        replaced = any(later.product_id == change.product_id and not later.is_cut for later in recent[index + 1:])
        if change.is_cut and not replaced:
            change.applies_at = change.changed_at + RATE_CUT_NOTICE
            cuts.append(change)
    return cuts
