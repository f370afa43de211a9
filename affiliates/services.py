"""Every write of the affiliates app. Keyword-only, typed, atomic, named <thing>_<verb>.

Status changes of invitations, applications and sample requests go through
`_transition`, which checks the model's TRANSITIONS table and appends to the item's
history (who, when, why), so the inbox can show it.
"""

import logging
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from common.images import clean_image
from shops.models import Product, Shop

from . import emails, signals
from .models import (
    MAX_RATE,
    MIN_RATE,
    RATE_CUT_NOTICE,
    AffiliateProgram,
    Application,
    Collaboration,
    CollaborationProduct,
    Creator,
    Invitation,
    InvitationProduct,
    OpenProduct,
    RateChange,
    SampleRequest,
    ShowcaseItem,
)

logger = logging.getLogger(__name__)
User = AbstractBaseUser


def _check_rate(rate: Decimal | None, *, field: str = "rate") -> None:
    if rate is None:
        return
    if not isinstance(rate, Decimal) or not MIN_RATE <= rate <= MAX_RATE or rate != rate.quantize(Decimal("0.01")):
        raise ValidationError({field: f"Rates are percentages from {MIN_RATE} to {MAX_RATE}, with at most 2 decimals."})


def _transition(obj: Model, *, to: str, by: User | None = None, note: str = "", **fields) -> Model:
    """The one way an invitation, application or sample request changes status."""
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    if to not in obj.TRANSITIONS.get(obj.status, set()):
        raise ValidationError(
            f"This {obj._meta.verbose_name} is {obj.get_status_display().lower()}; "
            f"it cannot become {type(obj).Status(to).label.lower()}."
        )
    obj.status = to
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.add_history(status=to, note=note, by=by)
    obj.save()
    return obj


# --------------------------------------------------------------------------------------
# Creators
# --------------------------------------------------------------------------------------


@transaction.atomic
def creator_register(*, user: User) -> Creator:
    """Give the user the creator role, pending staff approval. Calling it again changes nothing."""
    creator, _ = Creator.objects.get_or_create(user=user)
    return creator


CREATOR_PROFILE_FIELDS = (
    "handle", "display_name", "bio", "avatar", "social_url", "followers", "average_views", "engagement_rate",
    "audience_top_country", "audience_female_pct", "audience_male_pct", "audience_top_age", "payout_method",
    "payout_account",
)


@transaction.atomic
def creator_update(*, creator: Creator, niches: Iterable | None = None, **fields) -> Creator:
    """Save the creator's profile. A rejected creator who edits goes back to review."""
    unknown = set(fields) - set(CREATOR_PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"not creator profile fields: {sorted(unknown)}")
    if "avatar" in fields:
        avatar = fields.pop("avatar")
        if avatar is False:
            creator.avatar = ""
        elif avatar and avatar != creator.avatar:
            cleaned = clean_image(avatar, name="avatar")
            creator.avatar.save(cleaned.thumbnail.name, cleaned.thumbnail, save=False)
    for name, value in fields.items():
        setattr(creator, name, value)
    if creator.audience_female_pct + creator.audience_male_pct > 100:
        raise ValidationError("The audience's female and male shares add up to more than 100 %.")
    creator.full_clean()
    creator.save()
    if niches is not None:
        creator.niches.set(niches)
    if creator.status == Creator.Status.REJECTED:
        creator_set_status(creator=creator, to=Creator.Status.PENDING, reason="Profile updated")
    return creator


@transaction.atomic
def creator_set_status(*, creator: Creator, to: str, by: User | None = None, reason: str = "") -> Creator:
    """The only writer of Creator.status. Suspension stops attribution for the creator's links."""
    creator = Creator.objects.select_for_update().get(pk=creator.pk)
    if to not in Creator.TRANSITIONS.get(creator.status, set()):
        raise ValidationError(
            f"A creator who is {creator.get_status_display().lower()} cannot become "
            f"{Creator.Status(to).label.lower()}."
        )
    creator.status = to
    creator.status_reason = reason
    creator._change_reason = f"Status {to}" + (f": {reason}" if reason else "")  # kept in the history
    if to == Creator.Status.APPROVED and creator.approved_at is None:
        creator.approved_at = timezone.now()
    creator.save(update_fields=["status", "status_reason", "approved_at", "updated_at"])
    logger.info("creator %s status -> %s by user %s", creator.pk, to, getattr(by, "pk", None))
    return creator


def creator_approve(*, creator: Creator, by: User) -> Creator:
    return creator_set_status(creator=creator, to=Creator.Status.APPROVED, by=by)


def _need_reason(reason: str, who: str) -> str:
    if not reason.strip():
        raise ValidationError(f"Give a reason: {who} reads it.")
    return reason.strip()


def creator_reject(*, creator: Creator, by: User, reason: str) -> Creator:
    return creator_set_status(creator=creator, to=Creator.Status.REJECTED, by=by,
                              reason=_need_reason(reason, "the creator"))


def creator_suspend(*, creator: Creator, by: User, reason: str) -> Creator:
    return creator_set_status(creator=creator, to=Creator.Status.SUSPENDED, by=by,
                              reason=_need_reason(reason, "the creator"))


def creator_reinstate(*, creator: Creator, by: User) -> Creator:
    return creator_set_status(creator=creator, to=Creator.Status.APPROVED, by=by)


# --------------------------------------------------------------------------------------
# Programs and open collaboration
# --------------------------------------------------------------------------------------

PROGRAM_FIELDS = ("default_rate", "attribution_window_days", "hold_days", "requires_approval", "min_followers",
                  "terms", "all_products_open")


def _check_program(program: AffiliateProgram) -> None:
    _check_rate(program.default_rate, field="default_rate")
    if program.hold_days < program.shop.return_window_days:
        raise ValidationError({"hold_days": (
            f"The hold period cannot be shorter than your return window ({program.shop.return_window_days} days): "
            "a refund could arrive after the commission was approved.")})
    program.full_clean()


@transaction.atomic
def program_join(*, shop: Shop, by: User, **fields) -> AffiliateProgram:
    """Join the affiliate program (or rejoin after leaving). The default rate starts its history."""
    if not shop.is_active:
        raise ValidationError("Your shop must be approved before it joins the affiliate program.")
    now = timezone.now()
    program = AffiliateProgram.objects.select_for_update().filter(shop=shop).first()
    old_rate = None
    if program is None:
        program = AffiliateProgram(shop=shop, joined_at=now)
    else:
        if program.is_active:
            raise ValidationError("Your shop is already in the affiliate program.")
        old_rate = program.default_rate
        program.status, program.left_at = AffiliateProgram.Status.ACTIVE, None
    fields.setdefault("hold_days", max(30, shop.return_window_days))
    for name, value in fields.items():
        setattr(program, name, value)
    _check_program(program)
    program.save()
    if old_rate != program.default_rate:
        RateChange.objects.create(program=program, old_rate=old_rate, new_rate=program.default_rate,
                                  changed_at=now, changed_by=by)
    logger.info("shop %s joined the affiliate program at %s%% by user %s", shop.pk, program.default_rate, by.pk)
    return program


@transaction.atomic
def program_update(*, program: AffiliateProgram, by: User, **fields) -> AffiliateProgram:
    """Change the terms. A lower default rate reaches current link holders 30 days later."""
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise TypeError(f"not program fields: {sorted(unknown)}")
    program = AffiliateProgram.objects.select_for_update().get(pk=program.pk)
    old_rate = program.default_rate
    for name, value in fields.items():
        setattr(program, name, value)
    _check_program(program)
    program.save()
    if program.default_rate != old_rate:
        RateChange.objects.create(program=program, old_rate=old_rate, new_rate=program.default_rate,
                                  changed_at=timezone.now(), changed_by=by)
    return program


@transaction.atomic
def program_leave(*, program: AffiliateProgram, by: User) -> AffiliateProgram:
    """Stop new attribution. Everything already earned stays owed and is paid as usual."""
    program = AffiliateProgram.objects.select_for_update().get(pk=program.pk)
    if not program.is_active:
        raise ValidationError("Your shop has already left the affiliate program.")
    program.status, program.left_at = AffiliateProgram.Status.LEFT, timezone.now()
    program.save(update_fields=["status", "left_at"])
    logger.info("shop %s left the affiliate program by user %s", program.shop_id, by.pk)
    return program


@transaction.atomic
def open_products_set(*, program: AffiliateProgram, by: User, rates: dict[int, Decimal | None],
                      close: Iterable[int] = ()) -> list[RateChange]:
    """Open products to every creator at a rate (None: the program default), or close them.

    Returns the cuts made, so the seller can be told when they reach current link holders.
    """
    if not program.is_active:
        raise ValidationError("Join the affiliate program first.")
    now = timezone.now()
    live = set(Product.objects.filter(shop=program.shop, status=Product.Status.LIVE, pk__in=rates)
               .values_list("pk", flat=True))
    if set(rates) - live:
        raise ValidationError("Only your live products can be opened to creators.")
    existing = {item.product_id: item for item in OpenProduct.objects.select_for_update().filter(program=program)}
    changes = []
    for product_id, rate in rates.items():
        _check_rate(rate)
        current = existing.get(product_id)
        if current is None:
            OpenProduct.objects.create(program=program, product_id=product_id, rate=rate, opened_at=now)
            old = None
        elif current.rate != rate:
            old = current.rate
            current.rate = rate
            current.save(update_fields=["rate"])
        else:
            continue
        if old is not None or rate is not None:
            changes.append(RateChange(program=program, product_id=product_id, old_rate=old, new_rate=rate,
                                      changed_at=now, changed_by=by))
    for product_id in close:
        current = existing.get(product_id)
        if current is not None:
            if current.rate is not None:
                changes.append(RateChange(program=program, product_id=product_id, old_rate=current.rate,
                                          new_rate=None, changed_at=now, changed_by=by))
            current.delete()
    RateChange.objects.bulk_create(changes)
    return [change for change in changes if change.is_cut]


def rate_cut_reaches_link_holders_at(change: RateChange):
    return change.changed_at + RATE_CUT_NOTICE


# --------------------------------------------------------------------------------------
# Targeted collaborations: invitations
# --------------------------------------------------------------------------------------


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
        invitation.add_history(status=Invitation.Status.PENDING, note="Invitation sent", by=by)
        invitation.save()
        InvitationProduct.objects.bulk_create(
            [InvitationProduct(invitation=invitation, product=product, rate=rate)
             for product, rate in product_rates.items()]
        )
        emails.invitation_received(invitation)
        invitations.append(invitation)
    return invitations


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, by: User) -> Invitation:
    return _transition(invitation, to=Invitation.Status.WITHDRAWN, by=by, note="Withdrawn by the seller",
                       answered_at=timezone.now())


@transaction.atomic
def invitation_decline(*, invitation: Invitation, by: User) -> Invitation:
    return _transition(invitation, to=Invitation.Status.DECLINED, by=by, note="Declined by the creator",
                       answered_at=timezone.now())


def invitation_accept(*, invitation: Invitation, by: User) -> Collaboration:
    """Accepting starts the targeted collaboration at the offered rates."""
    now = timezone.now()
    if invitation.expires_at <= now and invitation.status == Invitation.Status.PENDING:
        # Recorded even though the acceptance fails: its own transaction.
        with transaction.atomic():
            _transition(invitation, to=Invitation.Status.EXPIRED, note="Not answered within 14 days")
        raise ValidationError("This invitation has expired.")
    if not invitation.program.is_active:
        raise ValidationError(f"{invitation.program.shop} has left the affiliate program.")
    with transaction.atomic():
        _transition(invitation, to=Invitation.Status.ACCEPTED, by=by, note="Accepted by the creator",
                    answered_at=now)
        collaboration = Collaboration(program=invitation.program, creator=invitation.creator, started_at=now,
                                      all_products_rate=invitation.all_products_rate,
                                      ends_on=invitation.collaboration_ends_on)
        collaboration.add_history(status=Collaboration.Status.ACTIVE, note="Invitation accepted", by=by)
        collaboration.save()
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
            _transition(invitation, to=Invitation.Status.EXPIRED, note="Not answered within 14 days")
        expired += 1
    return expired


@transaction.atomic
def collaboration_end(*, collaboration: Collaboration, by: User) -> Collaboration:
    """End a targeted collaboration: from now on its links earn nothing; past sales stay owed."""
    collaboration = Collaboration.objects.select_for_update().get(pk=collaboration.pk)
    if collaboration.status != Collaboration.Status.ACTIVE:
        raise ValidationError("This collaboration has already ended.")
    collaboration.status, collaboration.ended_at = Collaboration.Status.ENDED, timezone.now()
    collaboration.add_history(status=Collaboration.Status.ENDED, note="Ended", by=by)
    collaboration.save()
    return collaboration


# --------------------------------------------------------------------------------------
# Applications
# --------------------------------------------------------------------------------------


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
    application.add_history(status=Application.Status.PENDING, note="Applied", by=creator.user)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ValidationError("You have already applied; the seller will answer soon.") from None
    if program.min_followers and creator.followers >= program.min_followers:
        application = _transition(application, to=Application.Status.APPROVED, decided_at=timezone.now(),
                                  note=f"Approved automatically: {creator.followers:,} followers")
    return application


@transaction.atomic
def application_approve(*, application: Application, by: User, message: str = "") -> Application:
    return _transition(application, to=Application.Status.APPROVED, by=by, note=message, response=message,
                       decided_at=timezone.now())


@transaction.atomic
def application_decline(*, application: Application, by: User, message: str) -> Application:
    message = _need_reason(message, "the creator")
    return _transition(application, to=Application.Status.DECLINED, by=by, note=message, response=message,
                       decided_at=timezone.now())


@transaction.atomic
def application_withdraw(*, application: Application, by: User) -> Application:
    return _transition(application, to=Application.Status.WITHDRAWN, by=by, note="Withdrawn by the creator")


# --------------------------------------------------------------------------------------
# Samples
# --------------------------------------------------------------------------------------


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
    sample.add_history(status=SampleRequest.Status.REQUESTED, note="Requested", by=creator.user)
    sample.save()
    emails.sample_requested(sample)
    return sample


def sample_approve(*, sample: SampleRequest, by: User) -> SampleRequest:
    if sample.answer_by <= timezone.now() and sample.status == SampleRequest.Status.REQUESTED:
        # Recorded even though the approval fails: its own transaction.
        with transaction.atomic():
            _transition(sample, to=SampleRequest.Status.EXPIRED, note="Not answered within 7 days")
        raise ValidationError("This request expired: it was not answered within 7 days.")
    with transaction.atomic():
        sample = _transition(sample, to=SampleRequest.Status.APPROVED, by=by, note="Approved")
        emails.sample_update(sample)
        return sample


@transaction.atomic
def sample_decline(*, sample: SampleRequest, by: User, reason: str) -> SampleRequest:
    reason = _need_reason(reason, "the creator")
    sample = _transition(sample, to=SampleRequest.Status.DECLINED, by=by, note=reason, decline_reason=reason)
    emails.sample_update(sample)
    return sample


@transaction.atomic
def sample_ship(*, sample: SampleRequest, by: User, tracking_number: str) -> SampleRequest:
    tracking_number = tracking_number.strip()
    if not tracking_number:
        raise ValidationError({"tracking_number": "Enter the parcel's tracking number."})
    sample = _transition(sample, to=SampleRequest.Status.SHIPPED, by=by, note=f"Tracking {tracking_number}",
                         tracking_number=tracking_number, shipped_at=timezone.now())
    emails.sample_update(sample)
    return sample


@transaction.atomic
def sample_mark_delivered(*, sample: SampleRequest, by: User) -> SampleRequest:
    """The creator has the sample: their 14 days to post content start now."""
    now = timezone.now()
    return _transition(sample, to=SampleRequest.Status.DELIVERED, by=by, note="Delivered", delivered_at=now,
                       content_due=now + SampleRequest.CONTENT_WITHIN)


@transaction.atomic
def sample_post_content(*, sample: SampleRequest, by: User, content_url: str) -> SampleRequest:
    if not content_url.startswith(("https://", "http://")):
        raise ValidationError({"content_url": "Enter the web address of your post."})
    sample = _transition(sample, to=SampleRequest.Status.FULFILLED, by=by, note=content_url,
                         content_url=content_url, fulfilled_at=timezone.now())
    emails.sample_content_posted(sample)
    return sample


def samples_expire(*, now=None) -> dict[str, int]:
    """Periodic: unanswered requests expire after 7 days; content not posted 14 days after
    delivery is overdue. Returns the counts."""
    now = now or timezone.now()
    counts = {"expired": 0, "overdue": 0}
    for sample in SampleRequest.objects.filter(status=SampleRequest.Status.REQUESTED, answer_by__lte=now):
        with transaction.atomic():
            _transition(sample, to=SampleRequest.Status.EXPIRED, note="Not answered within 7 days")
        counts["expired"] += 1
    for sample in SampleRequest.objects.filter(status=SampleRequest.Status.DELIVERED, content_due__lte=now):
        with transaction.atomic():
            _transition(sample, to=SampleRequest.Status.OVERDUE, note="No content within 14 days of delivery")
        counts["overdue"] += 1
    return counts


# --------------------------------------------------------------------------------------
# Showcase
# --------------------------------------------------------------------------------------


@transaction.atomic
def showcase_add(*, creator: Creator, product: Product) -> ShowcaseItem:
    if product.status != Product.Status.LIVE:
        raise ValidationError("Only products for sale can go on your showcase.")
    last = ShowcaseItem.objects.filter(creator=creator).order_by("-position").first()
    item, created = ShowcaseItem.objects.get_or_create(
        creator=creator, product=product, defaults={"position": (last.position + 1) if last else 0}
    )
    if created:
        transaction.on_commit(lambda: signals.showcase_item_added.send(sender=ShowcaseItem, item=item))
    return item


@transaction.atomic
def showcase_remove(*, item: ShowcaseItem) -> None:
    item.delete()


@transaction.atomic
def showcase_move(*, item: ShowcaseItem, offset: int) -> None:
    """Move an item up (-1) or down (+1) in the creator's showcase."""
    items = list(ShowcaseItem.objects.select_for_update().filter(creator=item.creator).order_by("position", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index + offset
    if not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items):
        other.position = position
    ShowcaseItem.objects.bulk_update(items, ["position"])
