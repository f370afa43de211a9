"""A creator's earnings: commissions, balances, payouts, early payout requests, statements."""

from datetime import UTC, date, datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django_tables2 import RequestConfig

from affiliates.mixins import CreatorRequiredMixin
from common.exports import csv_response
from common.money import CURRENCIES

from .. import selectors, services, statements
from ..months import next_month
from ..rules import payout_minimum
from ..tables import CommissionTable


class EarningsView(CreatorRequiredMixin, View):
    def get(self, request):
        creator = request.creator
        table = CommissionTable(selectors.commissions_of(creator=creator))
        if request.GET.get("export") == "csv":
            return table.as_csv("commissions.csv")
        RequestConfig(request, paginate={"per_page": 25}).configure(table)
        balances = selectors.balances(creator=creator)
        waiting = selectors.open_early_requests(creator=creator)
        return render(request, "payouts/creator/earnings.html", {
            "summary": selectors.earnings_summary(creator=creator),
            "balances": [(currency, amount, amount >= payout_minimum(currency),
                          payout_minimum(currency), waiting.get(currency))
                         for currency, amount in balances.items()],
            "table": table,
            "payouts": selectors.payouts_of(creator=creator)[:50],
            "requests": creator.early_payout_requests.all()[:10],
            "statements": statements.creator_statement_periods(creator=creator)[:36],
            "next_run": next_month(timezone.now().date()),
        })


class EarlyPayoutView(CreatorRequiredMixin, View):
    def post(self, request):
        currency = request.POST.get("currency", "")
        if currency not in CURRENCIES:
            messages.error(request, "Choose a currency you have a balance in.")
            return redirect("creator:earnings")
        try:
            services.early_payout_request(creator=request.creator, currency=currency)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, "Early payout requested. Our finance team answers within two working days.")
        return redirect("creator:earnings")


def _statement_month(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m").replace(tzinfo=UTC).date()
    except ValueError:
        raise Http404("A month is written YYYY-MM.") from None


class CreatorStatementView(CreatorRequiredMixin, View):
    """One currency's account for one month: opening balance, movements, closing balance; CSV."""

    def get(self, request, month, currency):
        if currency not in CURRENCIES:
            raise Http404("Unknown currency.")
        statement = statements.creator_statement(creator=request.creator, currency=currency,
                                                 month=_statement_month(month))
        if request.GET.get("export") == "csv":
            return csv_response(f"statement-{statement.month:%Y-%m}-{currency}.csv",
                                statements.creator_statement_rows(statement))
        return render(request, "payouts/creator/statement.html", {"statement": statement})


class PayoutStatementView(CreatorRequiredMixin, View):
    """A payout's statement as CSV: the account of the month it pays (or was made in)."""

    def get(self, request, pk):
        payout = get_object_or_404(selectors.payouts_of(creator=request.creator), pk=pk)
        statement = statements.creator_statement(creator=request.creator, currency=payout.currency,
                                                 month=payout.period)
        return csv_response(f"statement-{payout.period:%Y-%m}-{payout.currency}-{payout.pk}.csv",
                            statements.creator_statement_rows(statement))
