"""Reads of the affiliates app that pages share. Seller reads take the seller's shop,
creator reads take the creator: nothing here returns another owner's rows."""

from datetime import timedelta

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

from shops.models import Product, Shop
from shops.selectors import products_live

from .models import (
    AffiliateProgram,
    Application,
    Collaboration,
    CollaborationProduct,
    Creator,
    Invitation,
    SampleRequest,
    ShowcaseItem,
)
from .rates import Source


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
    fulfilled = Count("sample_requests", filter=Q(sample_requests__status=SampleRequest.Status.FULFILLED))
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
    return Invitation.objects.filter(creator=creator).select_related("program__shop").prefetch_related(
        "products__product", "audit_entries")


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


def seller_affiliate_todo(*, program: AffiliateProgram) -> dict[str, int]:
    soon = timezone.now() + timedelta(days=3)
    return {
        "applications_pending": Application.objects.filter(program=program, status=Application.Status.PENDING).count(),
        "samples_waiting": SampleRequest.objects.filter(
            program=program, status__in=[SampleRequest.Status.REQUESTED, SampleRequest.Status.APPROVED]).count(),
        "invitations_expiring": Invitation.objects.filter(
            program=program, status=Invitation.Status.PENDING, expires_at__lte=soon).count(),
    }
