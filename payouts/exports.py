"""What finance sends to payment providers for an approved payout run.

PayPal Payouts (bulk upload in the PayPal business dashboard): one file per currency, no
header row, one payout per line: recipient email, amount in the currency's own format
(12.50 for USD, 1200 for JPY), currency code, customer id (at most 30 characters, no
spaces), note to the recipient (at most 400 characters), recipient wallet (PAYPAL).
Creators paid by bank transfer get a file of their own with a header, for the bank
portal or by hand. Creators without payout details are listed, not exported.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from affiliates.models import Creator
from common.money import money_cell

from .models import Payout, PayoutRun

PAYPAL = Creator.PayoutMethod.PAYPAL
BANK = Creator.PayoutMethod.BANK
PAYPAL_NOTE_MAX = 400


@dataclass(frozen=True)
class ExportFile:
    """One file to download for a run: its method, currency (PayPal), payouts and total."""

    method: str
    currency: str
    payouts: int
    total: Decimal

    @property
    def label(self) -> str:
        if self.method == PAYPAL:
            return f"PayPal {self.currency}: {self.payouts} payout(s)"
        return f"Bank transfers: {self.payouts} payout(s)"


def _waiting(run: PayoutRun) -> QuerySet[Payout]:
    return run.payouts.filter(status=Payout.Status.PENDING).select_related("creator").order_by("pk")


def _payable(method: str) -> Q:
    return Q(creator__payout_method=method) & ~Q(creator__payout_account="")


def export_files(*, run: PayoutRun) -> list[ExportFile]:
    """The files an approved run needs: PayPal per currency, then bank transfers."""
    paypal = (_waiting(run).filter(_payable(PAYPAL)).values("currency")
              .annotate(count=Count("id"), total=Sum("amount")).order_by("currency"))
    files = [ExportFile(PAYPAL, row["currency"], row["count"], row["total"]) for row in paypal]
    bank = _waiting(run).filter(_payable(BANK)).aggregate(count=Count("id"), total=Sum("amount"))
    if bank["count"]:
        files.append(ExportFile(BANK, "", bank["count"], bank["total"]))
    return files


def missing_details(*, run: PayoutRun) -> QuerySet[Payout]:
    """Waiting payouts whose creator has not said where to be paid: in no file."""
    return _waiting(run).exclude(_payable(PAYPAL) | _payable(BANK))


def paypal_rows(*, run: PayoutRun, currency: str) -> list[list]:
    note = f"Kinship Shop commissions {run.period:%Y-%m}"[:PAYPAL_NOTE_MAX]
    return [[payout.creator.payout_account, money_cell(payout.amount, currency), currency, f"kinship-{payout.pk}",
             note, "PAYPAL"]
            for payout in _waiting(run).filter(_payable(PAYPAL), currency=currency)]


def bank_rows(*, run: PayoutRun) -> list[list]:
    rows = [["payout", "creator", "account", "amount", "currency", "reference", "period"]]
    rows += [[payout.pk, f"@{payout.creator.handle}", payout.creator.payout_account,
              money_cell(payout.amount, payout.currency), payout.currency, f"kinship-{payout.pk}",
              f"{run.period:%Y-%m}"]
             for payout in _waiting(run).filter(_payable(BANK))]
    return rows
