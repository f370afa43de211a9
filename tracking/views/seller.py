"""The seller's affiliate performance by product and by creator, and the directory of
creators to find, with their recent sales."""

from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.views import View
from django_tables2 import RequestConfig

from affiliates.mixins import ProgramRequiredMixin
from affiliates.selectors import collaborations_of_program, fulfilment_rate

from .. import selectors
from ..filters import CreatorFilter
from ..models import ProductAffiliateDaily
from ..periods import period_from
from ..tables import CreatorStatsTable, CreatorTable, ProductStatsTable


class SellerPerformanceView(ProgramRequiredMixin, View):
    """Clicks, unique clicks, orders, conversion and GMV by product (the default tab) or by
    creator (?by=creator); each tab computes only its own table."""

    def get(self, request):
        form, period = period_from(request)
        by_creator = request.GET.get("by") == "creator"
        currency = request.shop.currency
        if by_creator:
            rows = selectors.stats_grouped(scope=Q(shop=request.shop), period=period,
                                           group_by={"creator_handle": "creator__handle"})
            table = CreatorStatsTable([{**row, "currency": currency} for row in rows])
        else:
            rows = selectors.stats_grouped(scope=Q(shop=request.shop), period=period,
                                           group_by={"product_title": "product__title"}, model=ProductAffiliateDaily)
            table = ProductStatsTable([{**row, "currency": currency} for row in rows])
        if request.GET.get("export") == "csv":
            return table.as_csv(f"performance-by-{'creator' if by_creator else 'product'}.csv")
        RequestConfig(request, paginate={"per_page": 25}).configure(table)
        return render(request, "tracking/seller_performance.html",
                      {"table": table, "by_creator": by_creator, "form": form, "period": period})


class CreatorDirectoryView(ProgramRequiredMixin, View):
    def get(self, request):
        creator_filter = CreatorFilter(request.GET or None, queryset=selectors.creator_directory(shop=request.shop))
        table = CreatorTable(creator_filter.qs, currency=request.shop.currency)
        if request.GET.get("export") == "csv":
            return table.as_csv("creators.csv")
        RequestConfig(request, paginate={"per_page": 25}).configure(table)
        return render(request, "tracking/seller/creators.html", {"table": table, "filter": creator_filter})


class CreatorDetailView(ProgramRequiredMixin, View):
    def get(self, request, handle):
        creator = get_object_or_404(selectors.creator_directory(shop=request.shop), handle=handle)
        return render(request, "tracking/seller/creator_detail.html", {
            "creator": creator,
            "performance": creator.performance.order_by("currency"),
            "fulfilment": fulfilment_rate(fulfilled=creator.samples_fulfilled,
                                                    overdue=creator.samples_overdue),
            "collaborations": collaborations_of_program(program=request.program).filter(creator=creator),
        })
