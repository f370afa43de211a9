"""The seller's affiliate performance, by product and by creator."""

from django.db.models import Q
from django.shortcuts import render
from django.views import View
from django_tables2 import RequestConfig

from affiliates.mixins import ProgramRequiredMixin

from .. import selectors
from ..models import ProductAffiliateDaily
from ..periods import period_from
from ..tables import CreatorStatsTable, ProductStatsTable


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
