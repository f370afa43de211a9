"""Targeted collaborations: a seller invites creators at their own rates; accepting one
starts the collaboration, which lasts until it ends or the seller ends it."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.transitions import record, transition
from shops.models import Product

from .. import emails, signals
from ..models import (
    AffiliateProgram,
    Collaboration,
    CollaborationProduct,
    Creator,
    Invitation,
    InvitationProduct,
)
from .rules import check_rate as _check_rate

User = AbstractBaseUser


def _program_products(program: AffiliateProgram, product_rates: dict) -> None:
    own = set(Product.objects.filter(shop=program.shop, status=Product.Status.LIVE,
                                     pk__in=[p.pk for p in product_rates]).values_list("pk", flat=True))
    if any(product.pk not in own for product in product_rates):
        raise ValidationError("Invitations can only offer your own live products.")


@transaction.atomic
def invitation_send(*, program: AffiliateProgram, creators: Iterable[Creator], by: User, message: str = "",
                    product_rates: dict[Product, Decimal] | None = None, all_products_rate: Decimal | None = None,
                    ends_on: date | None = None) -> list[Invitation]:
    """Invite creators to a targeted collaboration: one invitation each, valid for 14 days."""
    if not program.is_active:
        raise ValidationError("Join the affiliate program before inviting creators.")
    product_rates = product_rates or {}
    if bool(product_rates) == (all_products_rate is not None):
        raise ValidationError("Offer either one rate for all products, or rates for chosen products.")
    _check_rate(all_products_rate, field="all_products_rate")
    for rate in product_rates.values():
        _check_rate(rate)
    _program_products(program, product_rates)
    now = timezone.now()
    if ends_on is not None and ends_on <= now.date():
        raise ValidationError({"ends_on": "The end date must be in the future."})
    creators = list(creators)
    if not creators:
        raise ValidationError("Choose at least one creator.")
    if any(not creator.is_approved for creator in creators):
        raise ValidationError("Only approved creators can be invited.")
    invitations = []
    for creator in creators:
        invitation = Invitation(program=program, creator=creator, message=message, all_products_rate=all_products_rate,
                                collaboration_ends_on=ends_on, created_at=now, expires_at=now + Invitation.LIFETIME)
        invitation.save()
        record(invitation, from_status="", by=by, reason="Invitation sent")
        InvitationProduct.objects.bulk_create(
            [InvitationProduct(invitation=invitation, product=product, rate=rate)
             for product, rate in product_rates.items()]
        )
        emails.invitation_received(invitation)
        invitations.append(invitation)
    ids = [invitation.pk for invitation in invitations]
    transaction.on_commit(lambda: signals.invitations_sent.send(sender=Invitation, ids=ids))
    return invitations


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, by: User) -> Invitation:
    """The seller takes back an invitation the creator has not answered."""
    return transition(invitation, to=Invitation.Status.WITHDRAWN, by=by, reason="Withdrawn by the seller",
                       answered_at=timezone.now())


@transaction.atomic
def invitation_decline(*, invitation: Invitation, by: User) -> Invitation:
    """The creator says no to an invitation; nothing starts."""
    return transition(invitation, to=Invitation.Status.DECLINED, by=by, reason="Declined by the creator",
                       answered_at=timezone.now())


def invitation_accept(*, invitation: Invitation, by: User) -> Collaboration:
    """Accepting starts the targeted collaboration at the offered rates."""
    now = timezone.now()
    if invitation.expires_at <= now and invitation.status == Invitation.Status.PENDING:
        # Recorded even though the acceptance fails: its own transaction.
        with transaction.atomic():
            transition(invitation, to=Invitation.Status.EXPIRED, reason="Not answered within 14 days")
        raise ValidationError("This invitation has expired.")
    if not invitation.program.is_active:
        raise ValidationError(f"{invitation.program.shop} has left the affiliate program.")
    with transaction.atomic():
        transition(invitation, to=Invitation.Status.ACCEPTED, by=by, reason="Accepted by the creator",
                    answered_at=now)
        collaboration = Collaboration(program=invitation.program, creator=invitation.creator, started_at=now,
                                      all_products_rate=invitation.all_products_rate,
                                      ends_on=invitation.collaboration_ends_on)
        collaboration.save()
        record(collaboration, from_status="", by=by, reason="Invitation accepted")
        CollaborationProduct.objects.bulk_create(
            [CollaborationProduct(collaboration=collaboration, product_id=item.product_id, rate=item.rate)
             for item in invitation.products.all()]
        )
        Invitation.objects.filter(pk=invitation.pk).update(collaboration=collaboration)
    return collaboration


def invitations_expire(*, now=None) -> int:
    """Periodic: invitations unanswered for 14 days expire. Returns how many."""
    now = now or timezone.now()
    expired = 0
    for invitation in Invitation.objects.filter(status=Invitation.Status.PENDING, expires_at__lte=now):
        with transaction.atomic():
            transition(invitation, to=Invitation.Status.EXPIRED, reason="Not answered within 14 days")
        expired += 1
    return expired


def collaboration_end(*, collaboration: Collaboration, by: User) -> Collaboration:
    """End a targeted collaboration: from now on its rates no longer apply (the product's
    open rate or the program default may); past sales stay owed."""
    return transition(collaboration, to=Collaboration.Status.ENDED, by=by, reason="Ended by the seller",
                      ended_at=timezone.now())
