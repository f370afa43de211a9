"""Emails of payouts: a creator hears when money was sent."""

from django.urls import reverse

from common import emails

from .models import Payout


def payout_paid(payout: Payout) -> None:
    creator = payout.creator
    emails.send(to=creator.user.email, subject="We sent you a payout",
                template="payouts/email/payout_paid",
                context={"payout": payout, "creator": creator,
                         "path": reverse("creator:statement",
                                         args=[f"{payout.period:%Y-%m}", payout.currency])})
