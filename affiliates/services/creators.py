"""Creators: the role, the profile, and review by staff."""

import logging
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.images import clean_image
from common.transitions import transition
from common.updates import model_update

from ..models import Creator
from .rules import need_reason as _need_reason

logger = logging.getLogger(__name__)
User = AbstractBaseUser


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
    avatar = fields.pop("avatar", None)
    model_update(creator, data=fields, fields=CREATOR_PROFILE_FIELDS)
    if avatar is False:
        creator.avatar = ""
    elif avatar and avatar != creator.avatar:
        cleaned = clean_image(avatar, name="avatar")
        creator.avatar.save(cleaned.thumbnail.name, cleaned.thumbnail, save=False)
    if creator.audience_female_pct + creator.audience_male_pct > 100:
        raise ValidationError("The audience's female and male shares add up to more than 100 %.")
    creator.full_clean()
    creator.save()
    if niches is not None:
        creator.niches.set(niches)
    if creator.status == Creator.Status.REJECTED:
        creator_set_status(creator=creator, to=Creator.Status.PENDING, reason="Profile updated")
    return creator


def creator_set_status(*, creator: Creator, to: str, by: User | None = None, reason: str = "") -> Creator:
    """Move the creator (Creator.TRANSITIONS), keeping the reason they read and when they
    were first approved. Suspension stops attribution for the creator's links."""
    stamps = {"status_reason": reason}
    if to == Creator.Status.APPROVED and creator.approved_at is None:
        stamps["approved_at"] = timezone.now()
    creator = transition(creator, to=to, by=by, reason=reason, **stamps)
    logger.info("creator %s status -> %s", creator.pk, to)
    return creator


def creator_approve(*, creator: Creator, by: User) -> Creator:
    """Staff approve a creator: they may get links, apply and be invited."""
    return creator_set_status(creator=creator, to=Creator.Status.APPROVED, by=by)


def creator_reject(*, creator: Creator, by: User, reason: str) -> Creator:
    """Staff turn a creator down with the reason they read; editing the profile sends it back."""
    return creator_set_status(creator=creator, to=Creator.Status.REJECTED, by=by,
                              reason=_need_reason(reason, "the creator"))


def creator_suspend(*, creator: Creator, by: User, reason: str) -> Creator:
    """Staff stop a creator at once: their links attribute nothing while suspended."""
    return creator_set_status(creator=creator, to=Creator.Status.SUSPENDED, by=by,
                              reason=_need_reason(reason, "the creator"))


def creator_reinstate(*, creator: Creator, by: User) -> Creator:
    """Staff lift a suspension."""
    return creator_set_status(creator=creator, to=Creator.Status.APPROVED, by=by)
