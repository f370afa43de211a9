from django.core.management.base import BaseCommand, CommandError

from common.money import format_money
from payouts.reconciliation import reconcile


class Command(BaseCommand):
    help = ("Check that approved commissions minus clawbacks (plus adjustments) equal paid payouts plus "
            "payouts in payment plus unpaid balances, per currency. Exits 1 on any difference.")

    def handle(self, *args, **options):
        reports = reconcile()
        if not reports:
            self.stdout.write("Nothing to reconcile yet.")
        failed = False
        for r in reports:
            figures = (f"credited {format_money(r.credited, r.currency)}, clawed back "
                       f"{format_money(r.clawed_back, r.currency)}, adjusted {format_money(r.adjusted, r.currency)}; "
                       f"paid {format_money(r.paid, r.currency)}, in payment {format_money(r.in_payment, r.currency)}, "
                       f"balances {format_money(r.balances, r.currency)}")
            if r.ok:
                self.stdout.write(self.style.SUCCESS(f"{r.currency}: reconciled. {figures}"))
            else:
                failed = True
                self.stdout.write(self.style.ERROR(f"{r.currency}: DIFFERENCES. {figures}"))
                for problem in r.problems:
                    self.stdout.write(f"  - {problem}")
        if failed:
            raise CommandError("The ledger does not reconcile; see the differences above.")
