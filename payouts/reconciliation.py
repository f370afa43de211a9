"""Does the money add up? Ledger, commissions and payouts checked against each other."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, Sum

from common.money import money_sum

from .models import Commission, LedgerEntry, Payout


@dataclass
class Reconciliation:
    currency: str
    credited: Decimal  # approved commissions
    clawed_back: Decimal
    adjusted: Decimal
    paid: Decimal  # payouts marked paid
    in_payment: Decimal  # payouts made, not yet paid
    balances: Decimal  # unpaid balances
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def reconcile() -> list[Reconciliation]:
    """Check, per currency, that approved commissions minus clawbacks (plus adjustments)
    equal paid payouts plus payouts in payment plus unpaid balances, and that each
    commission's ledger entries match it. Returns one report per currency."""
    kinds = defaultdict(lambda: defaultdict(Decimal))
    for row in LedgerEntry.objects.values("currency", "kind").annotate(total=Sum("amount")):
        kinds[row["currency"]][row["kind"]] = money_sum(row["total"], row["currency"])
    payouts = defaultdict(lambda: defaultdict(Decimal))
    for row in Payout.objects.values("currency", "status").annotate(total=Sum("amount")):
        payouts[row["currency"]][row["status"]] = money_sum(row["total"], row["currency"])
    reports = []
    for currency in sorted(set(kinds) | set(payouts)):
        k, p = kinds[currency], payouts[currency]
        credited = k[LedgerEntry.Kind.COMMISSION]
        clawed, adjusted = -k[LedgerEntry.Kind.CLAWBACK], k[LedgerEntry.Kind.ADJUSTMENT]
        balance = sum(k.values(), Decimal(0))
        report = Reconciliation(currency=currency, credited=credited, clawed_back=clawed, adjusted=adjusted,
                                paid=p[Payout.Status.PAID], in_payment=p[Payout.Status.PENDING], balances=balance,
                                problems=[])
        left = credited - clawed + adjusted
        right = report.paid + report.in_payment + balance
        if left != right:
            report.problems.append(f"commissions - clawbacks + adjustments = {left}, but payouts + balances = {right}")
        debits = -(k[LedgerEntry.Kind.PAYOUT]) - k[LedgerEntry.Kind.PAYOUT_RETURNED]
        if debits != report.paid + report.in_payment:
            report.problems.append(f"payout debits {debits} differ from payouts made {report.paid + report.in_payment}")
        reports.append(report)
    # Per commission: what the ledger holds for it equals what it is worth now.
    credits = Sum("ledger_entries__amount", filter=Q(ledger_entries__kind__in=[LedgerEntry.Kind.COMMISSION,
                                                                              LedgerEntry.Kind.CLAWBACK]))
    wrong = (Commission.objects.filter(status__in=[Commission.Status.APPROVED, Commission.Status.PAID,
                                                   Commission.Status.REVERSED], approved_at__isnull=False)
             .annotate(held=credits).exclude(held=F("amount") - F("clawed_back")).values_list("pk", "currency")[:20])
    for pk, currency in wrong:
        for report in reports:
            if report.currency == currency:
                report.problems.append(f"commission {pk}: ledger entries differ from its amount")
    return reports
