"""Earnings for creators, monthly statements for sellers."""

from datetime import UTC, date, datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django_tables2 import RequestConfig

from affiliates.mixins import CreatorRequiredMixin
from common.exports import csv_response
from common.money import CURRENCIES, money_cell
from shops.mixins import SellerRequiredMixin

from . import selectors, services, statements
from .filters import AffiliateOrdersFilter
from .tables import AffiliateOrderTable, CommissionTable


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
            "balances": [(currency, amount, amount >= services.payout_minimum(currency),
                          services.payout_minimum(currency), waiting.get(currency))
                         for currency, amount in balances.items()],
            "table": table,
            "payouts": selectors.payouts_of(creator=creator)[:50],
            "requests": creator.early_payout_requests.all()[:10],
            "statements": statements.creator_statement_periods(creator=creator)[:36],
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
        statement = statements.seller_statement(shop=request.shop, month=month)
        if request.GET.get("export") == "csv":
            return csv_response(f"statement-{month:%Y-%m}.csv",
                                _statement_rows(statement, month, request.shop.currency))
        form = MonthForm(initial={"month": month})
        return render(request, "payouts/seller/statement.html",
                      {"statement": statement, "month": month, "form": form, "currency": request.shop.currency})


def _statement_rows(statement: dict, month: date, currency: str) -> list[list]:
    """The month as an account: "change" holds every movement (it sums to closing minus
    opening), "balance" the owed amounts at the start and the end, "commission" the
    computed commissions by creator and, as a breakdown, by product."""

    def amount(value):
        return money_cell(value, currency)

    period = f"{month:%Y-%m}"
    rows = [["month", "section", "creator or product", "orders", "affiliate GMV", "commission", "change", "balance",
             "currency"],
            [period, "owed at the start", "", None, None, None, None, amount(statement["opening"]), currency]]
    for row in statement["by_creator"]:
        rows.append([period, "computed", f"@{row['handle']}", row["orders"], amount(row["gmv"]),
                     amount(row["commission"]), amount(row["commission"]), None, currency])
    for event in statement["reductions"]:
        rows.append([period, "reduction", f"@{event.commission.creator.handle} order "
                     f"{event.commission.order.number}: {event.reason}", None, None, None,
                     amount(event.amount_change), None, currency])
    rows += [[period, "paid out to creators", "", None, None, None, amount(-statement["paid_out"]), None, currency],
             [period, "owed at the end", "", None, None, None, None, amount(statement["closing"]), currency]]
    for row in statement["by_product"]:
        rows.append([period, "computed, by product", row["title"], row["orders"], amount(row["gmv"]),
                     amount(row["commission"]), None, None, currency])
    return rows


class AffiliateOrdersView(SellerRequiredMixin, View):
    """Every order a creator brought, with the creator and the commission; CSV."""

    def get(self, request):
        order_filter = AffiliateOrdersFilter(request.GET or None,
                                             queryset=selectors.affiliate_orders(shop=request.shop))
        table = AffiliateOrderTable(order_filter.qs)
        if request.GET.get("export") == "csv":
            return table.as_csv("affiliate-orders.csv")
        RequestConfig(request, paginate={"per_page": 25}).configure(table)
        return render(request, "payouts/seller/affiliate_orders.html", {"table": table, "filter": order_filter})
