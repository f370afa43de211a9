"""Free samples: a creator asks, the seller approves and ships, the creator posts content
within 14 days of delivery; unanswered requests expire and late content is overdue."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.transitions import record, transition
from shops.models import Product

from .. import emails
from ..models import AffiliateProgram, Content, Creator, SampleRequest
from .content import content_add_product, content_register
from .rules import need_reason as _need_reason

User = AbstractBaseUser


@transaction.atomic
def sample_request_create(*, creator: Creator, product: Product, shipping_address: str,
                          message: str = "") -> SampleRequest:
    """Ask the seller for a free sample of a physical product."""
    if not creator.is_approved:
        raise ValidationError("Your creator account must be approved before you request samples.")
    program = AffiliateProgram.objects.filter(shop_id=product.shop_id, status=AffiliateProgram.Status.ACTIVE).first()
    if program is None or product.status != Product.Status.LIVE:
        raise ValidationError("This product is not in an affiliate program.")
    if product.kind != Product.Kind.PHYSICAL:
        raise ValidationError("Samples are for physical products only.")
    if not shipping_address.strip():
        raise ValidationError({"shipping_address": "Tell the seller where to send the sample."})
    open_statuses = [SampleRequest.Status.REQUESTED, SampleRequest.Status.APPROVED, SampleRequest.Status.SHIPPED]
    if SampleRequest.objects.filter(creator=creator, product=product, status__in=open_statuses).exists():
        raise ValidationError("You already have a sample request for this product in progress.")
    now = timezone.now()
    sample = SampleRequest(program=program, creator=creator, product=product, message=message,
                           shipping_address=shipping_address.strip(), requested_at=now,
                           answer_by=now + SampleRequest.ANSWER_WITHIN)
    sample.save()
    record(sample, from_status="", by=creator.user, reason="Requested")
    emails.sample_requested(sample)
    return sample


def sample_approve(*, sample: SampleRequest, by: User) -> SampleRequest:
    """The seller will send the sample; a request unanswered for 7 days expires instead, and says so."""
    if sample.answer_by <= timezone.now() and sample.status == SampleRequest.Status.REQUESTED:
        # Recorded even though the approval fails: its own transaction.
        with transaction.atomic():
            transition(sample, to=SampleRequest.Status.EXPIRED, reason="Not answered within 7 days")
        raise ValidationError("This request expired: it was not answered within 7 days.")
    with transaction.atomic():
        sample = transition(sample, to=SampleRequest.Status.APPROVED, by=by, reason="Approved")
        emails.sample_update(sample)
        return sample


@transaction.atomic
def sample_decline(*, sample: SampleRequest, by: User, reason: str) -> SampleRequest:
    """The seller says no, with the reason the creator reads."""
    reason = _need_reason(reason, "the creator")
    sample = transition(sample, to=SampleRequest.Status.DECLINED, by=by, reason=reason, decline_reason=reason)
    emails.sample_update(sample)
    return sample


@transaction.atomic
def sample_ship(*, sample: SampleRequest, by: User, tracking_number: str) -> SampleRequest:
    """The seller shipped the sample with this tracking number; the creator is told."""
    tracking_number = tracking_number.strip()
    if not tracking_number:
        raise ValidationError({"tracking_number": "Enter the parcel's tracking number."})
    sample = transition(sample, to=SampleRequest.Status.SHIPPED, by=by, reason=f"Tracking {tracking_number}",
                         tracking_number=tracking_number, shipped_at=timezone.now())
    emails.sample_update(sample)
    return sample


@transaction.atomic
def sample_mark_delivered(*, sample: SampleRequest, by: User) -> SampleRequest:
    """The creator has the sample: their 14 days to post content start now."""
    now = timezone.now()
    return transition(sample, to=SampleRequest.Status.DELIVERED, by=by, reason="Delivered", delivered_at=now,
                       content_due=now + SampleRequest.CONTENT_WITHIN)


@transaction.atomic
def sample_post_content(*, sample: SampleRequest, by: User, content_url: str) -> SampleRequest:
    """The creator posted content for the sample: the post is registered as their content
    featuring the product (or the product is added to a post they registered), which
    fulfils the sample; the seller is told."""
    if sample.status not in (SampleRequest.Status.DELIVERED, SampleRequest.Status.OVERDUE):
        raise ValidationError("Content can be posted once the sample has arrived.")
    url = (content_url or "").strip()
    existing = Content.objects.filter(creator=sample.creator, url=url).first()
    if existing is not None:
        content_add_product(content=existing, product=sample.product)
    else:
        try:
            content_register(creator=sample.creator, url=url, title=sample.product.title, products=[sample.product])
        except ValidationError as exc:
            raise ValidationError({"content_url": exc.messages}) from exc
    return SampleRequest.objects.get(pk=sample.pk)


def samples_expire(*, now=None) -> dict[str, int]:
    """Periodic: unanswered requests expire after 7 days; content not posted 14 days after
    delivery is overdue. Returns the counts."""
    now = now or timezone.now()
    counts = {"expired": 0, "overdue": 0}
    for sample in SampleRequest.objects.filter(status=SampleRequest.Status.REQUESTED, answer_by__lte=now):
        with transaction.atomic():
            transition(sample, to=SampleRequest.Status.EXPIRED, reason="Not answered within 7 days")
        counts["expired"] += 1
    for sample in SampleRequest.objects.filter(status=SampleRequest.Status.DELIVERED, content_due__lte=now):
        with transaction.atomic():
            transition(sample, to=SampleRequest.Status.OVERDUE, reason="No content within 14 days of delivery")
        counts["overdue"] += 1
    return counts
