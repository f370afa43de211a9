"""Early payouts: a creator asks for their balance before the monthly run."""

import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from affiliates.models import Creator
from common.money import format_money, money_sum
from common.transitions import allowed, transition

from .. import selectors, signals
from ..models import EarlyPayoutRequest, LedgerEntry, Payout
from ..months import month_start
from ..rules import payout_minimum

logger = logging.getLogger(__name__)


def _by(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


@transaction.atomic
def early_payout_request(*, creator: Creator, currency: str) -> EarlyPayoutRequest:
    """A creator asks to be paid their balance now (at least the minimum); one open
    request per currency, so a second one, even at the same moment, is refused."""
    balance = selectors.balances(creator=creator).get(currency, Decimal(0))
    minimum = payout_minimum(currency)
    if balance < minimum:
        raise ValidationError(f"Early payouts start at {format_money(minimum, currency)}; "
                              f"your balance is {format_money(balance, currency)}.")
    already = ValidationError("You already asked for an early payout in this currency; finance answers it soon.")
    if EarlyPayoutRequest.objects.filter(creator=creator, currency=currency,
                                         status=EarlyPayoutRequest.Status.REQUESTED).exists():
        raise already
    try:
        with transaction.atomic():
            return EarlyPayoutRequest.objects.create(creator=creator, currency=currency, requested_at=timezone.now())
    except IntegrityError:  # the same request, sent at the same moment, was first
        raise already from None


@transaction.atomic
def early_payout_approve(*, request: EarlyPayoutRequest, by) -> Payout:
    """Finance pays the whole balance now: a payout and its ledger debit."""
    request = EarlyPayoutRequest.objects.select_for_update().get(pk=request.pk)
    if not allowed(request, EarlyPayoutRequest.Status.APPROVED):
        raise ValidationError(f"This request is {request.get_status_display().lower()}; it cannot be approved.")
    row = LedgerEntry.objects.filter(creator_id=request.creator_id, currency=request.currency).aggregate(
        balance=Sum("amount"), last=Max("id"))
    row["balance"] = money_sum(row["balance"], request.currency)
    if row["balance"] < payout_minimum(request.currency):
        raise ValidationError("The balance is below the minimum now; decline the request instead.")
    now = timezone.now()
    payout = Payout.objects.create(kind=Payout.Kind.EARLY, creator_id=request.creator_id,
                                   period=month_start(now.date()), currency=request.currency, amount=row["balance"],
                                   covers_through=row["last"], created_at=now)
    LedgerEntry.objects.create(creator_id=request.creator_id, currency=request.currency, kind=LedgerEntry.Kind.PAYOUT,
                               amount=-row["balance"], payout=payout, note="Early payout", created_by=_by(by),
                               created_at=now)
    transition(request, to=EarlyPayoutRequest.Status.APPROVED, by=by, reason=f"Payout #{payout.pk}", payout=payout,
               decided_at=now)
    transaction.on_commit(lambda: signals.payouts_created.send(sender=Payout, ids=[payout.pk]))
    logger.info("early payout %s approved: %s %s by user %s", payout.pk, payout.amount, payout.currency, by.pk)
    return payout


@transaction.atomic
def early_payout_decline(*, request: EarlyPayoutRequest, by, reason: str) -> EarlyPayoutRequest:
    """Finance declines with the reason the creator reads; the balance waits for the run."""
    if not reason.strip():
        raise ValidationError("Give the reason: the creator reads it.")
    return transition(request, to=EarlyPayoutRequest.Status.DECLINED, by=by, reason=reason.strip(),
                      decision_note=reason.strip()[:500], decided_at=timezone.now())
