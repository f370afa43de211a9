"""The creator balance ledger: append-only; corrections are new entries."""

import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from affiliates.models import Creator
from common.money import money_round

from ..models import LedgerEntry

logger = logging.getLogger(__name__)


def _by(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


@transaction.atomic
def ledger_adjust(*, creator: Creator, currency: str, amount: Decimal, reason: str, by) -> LedgerEntry:
    """Finance corrects a balance with a new entry (never an edit), with a reason."""
    if not reason.strip():
        raise ValidationError("Give the reason for the adjustment.")
    if money_round(amount, currency) != amount or amount == 0:
        raise ValidationError(f"Enter a non-zero amount in {currency} with at most its minor unit.")
    entry = LedgerEntry.objects.create(creator=creator, currency=currency, kind=LedgerEntry.Kind.ADJUSTMENT,
                                       amount=amount, note=reason.strip()[:500], created_by=_by(by),
                                       created_at=timezone.now())
    logger.info("ledger adjustment %s %s for creator %s by user %s", amount, currency, creator.pk, by.pk)
    return entry
