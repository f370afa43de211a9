"""Emails of the affiliate program: invitations to creators, sample requests both ways."""

from django.urls import reverse

from common import emails

from .models import Invitation, SampleRequest

SAMPLE_NEWS = {
    SampleRequest.Status.APPROVED: "approved",
    SampleRequest.Status.DECLINED: "declined",
    SampleRequest.Status.SHIPPED: "on its way",
}


def _seller_emails(shop) -> list[str]:
    return [membership.user.email for membership in shop.memberships.select_related("user")]


def invitation_received(invitation: Invitation) -> None:
    shop = invitation.program.shop
    emails.send(to=invitation.creator.user.email, subject=f"{shop.name} invites you to a collaboration",
                template="affiliates/email/invitation_received",
                context={"invitation": invitation, "shop": shop, "products": list(invitation.products.all()),
                         "path": reverse("creator:inbox")})


def sample_update(sample: SampleRequest) -> None:
    """The creator hears when their request is approved, declined or shipped."""
    news = SAMPLE_NEWS.get(sample.status)
    if news is None:
        return
    emails.send(to=sample.creator.user.email, subject=f"Your sample of {sample.product.title} is {news}",
                template="affiliates/email/sample_update",
                context={"sample": sample, "news": news, "shop": sample.program.shop, "path": reverse("creator:inbox")})


def sample_requested(sample: SampleRequest) -> None:
    emails.send(to=_seller_emails(sample.program.shop),
                subject=f"@{sample.creator.handle} asks for a sample of {sample.product.title}",
                template="affiliates/email/sample_requested",
                context={"sample": sample, "path": reverse("seller:samples")})


def sample_content_posted(sample: SampleRequest) -> None:
    emails.send(to=_seller_emails(sample.program.shop),
                subject=f"@{sample.creator.handle} posted content for {sample.product.title}",
                template="affiliates/email/sample_content_posted",
                context={"sample": sample, "path": reverse("seller:samples")})
