"""Applications: a creator asks to promote a product or a whole shop; the seller answers
(or the program approves creators above its follower threshold at once)."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.transitions import record, transition
from shops.models import Product

from ..models import AffiliateProgram, Application, Creator
from .rules import need_reason as _need_reason

User = AbstractBaseUser


@transaction.atomic
def application_submit(*, creator: Creator, program: AffiliateProgram, product: Product | None = None,
                       message: str = "") -> Application:
    """Ask to promote a product or the whole shop. Creators with enough followers are approved at once."""
    if not creator.is_approved:
        raise ValidationError("Your creator account must be approved before you apply.")
    if not program.is_active:
        raise ValidationError("This shop is not in the affiliate program.")
    if product is not None and (product.shop_id != program.shop_id or product.status != Product.Status.LIVE):
        raise ValidationError("You can only apply for live products of this shop.")
    application = Application(program=program, creator=creator, product=product, message=message,
                              created_at=timezone.now())
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ValidationError("You have already applied; the seller will answer soon.") from None
    record(application, from_status="", by=creator.user, reason="Applied")
    if program.min_followers and creator.followers >= program.min_followers:
        application = transition(application, to=Application.Status.APPROVED, decided_at=timezone.now(),
                                  reason=f"Approved automatically: {creator.followers:,} followers")
    return application


@transaction.atomic
def application_approve(*, application: Application, by: User, message: str = "") -> Application:
    """The seller lets the creator promote the product (or the whole shop), with an optional message."""
    return transition(application, to=Application.Status.APPROVED, by=by, reason=message, response=message,
                       decided_at=timezone.now())


@transaction.atomic
def application_decline(*, application: Application, by: User, message: str) -> Application:
    """The seller says no, with the reason the creator reads."""
    message = _need_reason(message, "the creator")
    return transition(application, to=Application.Status.DECLINED, by=by, reason=message, response=message,
                       decided_at=timezone.now())


@transaction.atomic
def application_withdraw(*, application: Application, by: User) -> Application:
    """The creator takes back an application still waiting for the seller."""
    return transition(application, to=Application.Status.WITHDRAWN, by=by, reason="Withdrawn by the creator")
