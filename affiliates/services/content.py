"""Content pieces: a creator registers a video or post and the products in it. A sample
whose product it features counts as fulfilled by it."""

from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.transitions import transition
from shops.models import Product

from .. import emails
from ..models import AffiliateProgram, Content, Creator, SampleRequest

User = AbstractBaseUser

PLATFORMS = {"tiktok.com": "TikTok", "instagram.com": "Instagram", "youtube.com": "YouTube", "youtu.be": "YouTube",
             "facebook.com": "Facebook", "x.com": "X", "twitter.com": "X", "pinterest.com": "Pinterest"}
MAX_PRODUCTS = 20


def _platform(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.").removeprefix("m.")
    return next((name for domain, name in PLATFORMS.items() if host == domain or host.endswith("." + domain)),
                host[:20])


@transaction.atomic
def content_register(*, creator: Creator, url: str, title: str, products: list[Product]) -> Content:
    """Register a post (its address, a title, the products it features: live products of
    shops in the affiliate program). Samples of those products waiting for content are
    fulfilled by it, and their sellers are told."""
    if not creator.is_approved:
        raise ValidationError("Your creator account must be approved before you register content.")
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise ValidationError({"url": "Enter the web address of your post (https://…)."}) from exc
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Give it a title you will recognise, like “Autumn tea haul”."})
    if not products:
        raise ValidationError({"products": "Choose the products your post features."})
    if len(products) > MAX_PRODUCTS:
        raise ValidationError({"products": f"At most {MAX_PRODUCTS} products per post."})
    in_program = set(AffiliateProgram.objects.filter(status=AffiliateProgram.Status.ACTIVE)
                     .values_list("shop_id", flat=True))
    if any(p.status != Product.Status.LIVE or p.shop_id not in in_program for p in products):
        raise ValidationError({"products": "Only products of shops in the affiliate program can be tagged."})
    try:
        with transaction.atomic():
            content = Content.objects.create(creator=creator, url=url[:500], title=title[:120], platform=_platform(url),
                                             created_at=timezone.now())
    except IntegrityError as exc:
        raise ValidationError({"url": "You registered this post already."}) from exc
    content.products.set(products)
    _fulfil_samples(content, products)
    return content


@transaction.atomic
def content_add_product(*, content: Content, product: Product) -> Content:
    """Tag one more product in a registered post (fulfilling its sample, if one waits)."""
    content.products.add(product)
    _fulfil_samples(content, [product])
    return content


def _fulfil_samples(content: Content, products: list[Product]) -> None:
    for sample in SampleRequest.objects.select_for_update().filter(
            creator=content.creator, product__in=products,
            status__in=[SampleRequest.Status.DELIVERED, SampleRequest.Status.OVERDUE]):
        sample = transition(sample, to=SampleRequest.Status.FULFILLED, by=content.creator.user,
                            reason=f"Content posted: {content.url}", content_url=content.url, content=content,
                            fulfilled_at=timezone.now())
        emails.sample_content_posted(sample)
