"""Earnings for creators, monthly statements for sellers."""

from datetime import date
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django_tables2 import RequestConfig

from affiliates.mixins import CreatorRequiredMixin
from shops.exports import csv_response
from shops.mixins import SellerRequiredMixin
from shops.money import CURRENCIES, money_round

from . import selectors, services
from .tables import CommissionTable


class EarningsView(CreatorRequiredMixin, View):
    def get(self, request):
        creator = request.creator
        table = CommissionTable(selectors.commissions_of(creator=creator))
        if request.GET.get("export") == "csv":
            return table.as_csv("commissions.csv")
        RequestConfig(request, paginate={"per_page": 25}).configure(table)
        balances = services.balances(creator=creator)
        return render(request, "payouts/creator/earnings.html", {
            "summary": selectors.earnings_summary(creator=creator),
            "balances": [(currency, amount, amount >= services.payout_minimum(currency),
                          services.payout_minimum(currency)) for currency, amount in balances.items()],
            "table": table,
            "payouts": selectors.payouts_of(creator=creator)[:50],
            "requests": creator.early_payout_requests.all()[:10],
            "next_run": services.next_month(timezone.now().date()),
        })


class EarlyPayoutView(CreatorRequiredMixin, View):
    def post(self, request):
        currency = request.POST.get("currency", "")
        if currency not in CURRENCIES:
            messages.error(request, "Choose a currency you have a balance in.")
            return redirect("payouts_creator:earnings")
        try:
            services.early_payout_request(creator=request.creator, currency=currency)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, "Early payout requested. Our finance team answers within two working days.")
        return redirect("payouts_creator:earnings")


class PayoutStatementView(CreatorRequiredMixin, View):
    """One payout's statement as CSV: every ledger entry it paid."""

    def get(self, request, pk):
        payout = get_object_or_404(selectors.payouts_of(creator=request.creator), pk=pk)
        rows = [["date", "kind", "order", "amount", "currency", "note"]]
        for entry in selectors.statement_entries(payout=payout):
            order = entry.commission.order.number if entry.commission_id else ""
            rows.append([f"{entry.created_at:%Y-%m-%d}", entry.get_kind_display(), order, str(entry.amount),
                         entry.currency, entry.note])
        return csv_response(f"statement-{payout.period:%Y-%m}-{payout.currency}-{payout.pk}.csv", rows)


class MonthForm(forms.Form):
    month = forms.DateField(input_formats=["%Y-%m"], required=False,
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))


class SellerStatementView(SellerRequiredMixin, View):
    """A month of commissions owed, by creator and by product, with reductions as their own lines."""

    def check_access(self, request):
        if not request.shop.currency:  # no currency yet means no orders and no commissions yet
            messages.info(request, "Statements start once your shop profile, with its currency, is complete.")
            return redirect("seller:shop_profile")
        return None

    def get(self, request):
        form = MonthForm(request.GET or None)
        month = services.previous_month(timezone.now().date()) if not request.GET else None
        if form.is_valid() and form.cleaned_data["month"]:
            month = form.cleaned_data["month"]
        month = services.month_start(month or timezone.now().date())
        statement = selectors.seller_statement(shop=request.shop, month=month)
        if request.GET.get("export") == "csv":
            return csv_response(f"statement-{month:%Y-%m}.csv",
                                _statement_rows(statement, month, request.shop.currency))
        form = MonthForm(initial={"month": month})
        return render(request, "payouts/seller/statement.html",
                      {"statement": statement, "month": month, "form": form, "currency": request.shop.currency})


def _statement_rows(statement: dict, month: date, currency: str) -> list[list]:
    def amount(value):
        return str(money_round(Decimal(value or 0), currency))

    rows = [["month", "section", "creator or product", "orders", f"affiliate GMV ({currency})",
             f"commission ({currency})"]]
    for row in statement["by_creator"]:
        rows.append([f"{month:%Y-%m}", "by creator", f"@{row['handle']}", row["orders"], amount(row["gmv"]),
                     amount(row["commission"])])
    for row in statement["by_product"]:
        rows.append([f"{month:%Y-%m}", "by product", row["title"], row["orders"], amount(row["gmv"]),
                     amount(row["commission"])])
    for event in statement["reductions"]:
        rows.append([f"{month:%Y-%m}", "reduction", f"@{event.commission.creator.handle} order "
                     f"{event.commission.order.number}: {event.reason}", "", "", amount(event.amount_change)])
    rows.append([f"{month:%Y-%m}", "total owed", "", "", amount(statement["totals"]["gmv"]),
                 amount(statement["owed"])])
    return rows
