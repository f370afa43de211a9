from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError

from payouts.services import commissions_approve_due


class Command(BaseCommand):
    help = ("Approve pending commissions whose hold period is over, as the daily task does. "
            "--at YYYY-MM-DD runs it as of that day (a test clock for demos and rehearsals).")

    def add_arguments(self, parser):
        parser.add_argument("--at", help="Approve as of this day (UTC midnight at its end).")

    def handle(self, *args, at=None, **options):
        now = None
        if at:
            try:
                day = datetime.strptime(at, "%Y-%m-%d").replace(tzinfo=UTC).date()
            except ValueError as exc:
                raise CommandError("--at takes a date as YYYY-MM-DD.") from exc
            now = datetime.combine(day, datetime.max.time(), tzinfo=UTC)
        approved = commissions_approve_due(now=now)
        self.stdout.write(self.style.SUCCESS(f"Approved {approved} commission(s)."))
