"""A seller's affiliate money: the monthly statement, and every attributed order."""

from datetime import date

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django_tables2 import RequestConfig

from common.exports import csv_response
from common.money import money_cell
from shops.mixins import SellerRequiredMixin

from .. import selectors, statements
from ..filters import AffiliateOrdersFilter
from ..months import month_start, previous_month
from ..tables import AffiliateOrderTable


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
        month = previous_month(timezone.now().date()) if not request.GET else None
        if form.is_valid() and form.cleaned_data["month"]:
            month = form.cleaned_data["month"]
        month = month_start(month or timezone.now().date())
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
             "currency", "rate %", "rate source"],
            [period, "owed at the start", "", None, None, None, None, amount(statement["opening"]), currency]]
    for row in statement["by_creator"]:
        rows.append([period, "computed", f"@{row['handle']}", row["orders"], amount(row["gmv"]),
                     amount(row["commission"]), amount(row["commission"]), None, currency])
    for event in statement["reductions"]:
        rows.append([period, "reduction", f"@{event['handle']} order {event['order_number']}: {event['reason']}",
                     None, None, None, amount(event["amount_change"]), None, currency])
    rows += [[period, "paid out to creators", "", None, None, None, amount(-statement["paid_out"]), None, currency],
             [period, "owed at the end", "", None, None, None, None, amount(statement["closing"]), currency]]
    for row in statement["by_product"]:
        rows.append([period, "computed, by product", row["title"], row["orders"], amount(row["gmv"]),
                     amount(row["commission"]), None, None, currency, row["rate"], row["source_label"]])
    return [row + [None] * (len(rows[0]) - len(row)) for row in rows]


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
