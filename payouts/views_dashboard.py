"""The seller dashboard (/seller/) and the creator portal home (/creator/)."""

import django_filters
from django import forms
from django.shortcuts import render
from django.views import View
from django_tables2 import RequestConfig

from affiliates.mixins import CreatorRequiredMixin
from shops.mixins import SellerRequiredMixin
from shops.selectors import seller_todo
from tracking.models import Conversion
from tracking.periods import period_from

from . import dashboards
from .tables import AffiliateOrderTable


class SellerDashboardView(SellerRequiredMixin, View):
    def get(self, request):
        form, period = period_from(request)
        shop = request.shop
        data = dashboards.seller_dashboard(shop=shop, period=period)
        data["todo"].update(seller_todo(shop=shop))
        return render(request, "payouts/dashboard/seller.html", {
            **data, "top_products": dashboards.seller_top_products(shop=shop, period=period), "form": form,
            "period": period,
            "latest": dashboards.latest_affiliate_orders(shop=shop),
        })


class CreatorDashboardView(CreatorRequiredMixin, View):
    def get(self, request):
        form, period = period_from(request)
        data = dashboards.creator_dashboard(creator=request.creator, period=period)
        return render(request, "payouts/dashboard/creator.html", {**data, "form": form, "period": period})


class AffiliateOrdersFilter(django_filters.FilterSet):
    creator = django_filters.CharFilter(field_name="creator__handle", lookup_expr="iexact", label="Creator handle")
    placed_from = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label="From",
                                            widget=forms.DateInput(attrs={"type": "date"}))
    placed_to = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label="To",
                                          widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Conversion
        fields = ["creator", "placed_from", "placed_to"]


class AffiliateOrdersView(SellerRequiredMixin, View):
    """Every order a creator brought, with the creator and the commission; CSV."""

    def get(self, request):
        order_filter = AffiliateOrdersFilter(request.GET or None,
                                             queryset=dashboards.affiliate_orders(shop=request.shop))
        table = AffiliateOrderTable(order_filter.qs)
        if request.GET.get("export") == "csv":
            return table.as_csv("affiliate-orders.csv")
        RequestConfig(request, paginate={"per_page": 25}).configure(table)
        return render(request, "payouts/dashboard/affiliate_orders.html", {"table": table, "filter": order_filter})
