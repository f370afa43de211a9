"""The seller dashboard (/seller/) and the creator portal home (/creator/)."""

from django.db.models import Q
from django.shortcuts import render
from django.views import View

from affiliates.mixins import CreatorRequiredMixin
from shops.mixins import SellerRequiredMixin
from shops.selectors import seller_todo
from tracking.models import ProductAffiliateDaily
from tracking.periods import period_from
from tracking.selectors import stats_grouped

from . import dashboards


class SellerDashboardView(SellerRequiredMixin, View):
    def get(self, request):
        form, period = period_from(request)
        shop = request.shop
        data = dashboards.seller_dashboard(shop=shop, period=period)
        data["todo"].update(seller_todo(shop=shop))
        top_products = list(stats_grouped(scope=Q(shop=shop), period=period, group_by={"title": "product__title"},
                                          model=ProductAffiliateDaily)[:5])
        top_creators = list(stats_grouped(scope=Q(shop=shop), period=period,
                                          group_by={"handle": "creator__handle", "creator_pk": "creator_id"})[:5])
        fulfilment = dashboards.creator_fulfilment(shop=shop, creator_ids=[row["creator_pk"] for row in top_creators])
        for row in top_creators:
            row["samples"] = fulfilment.get(row["creator_pk"], (0, 0))
        return render(request, "payouts/dashboard/seller.html", {
            **data, "form": form, "period": period, "top_products": top_products, "top_creators": top_creators,
            "latest": dashboards.latest_affiliate_orders(shop=shop),
        })


class CreatorDashboardView(CreatorRequiredMixin, View):
    def get(self, request):
        form, period = period_from(request)
        data = dashboards.creator_dashboard(creator=request.creator, period=period)
        return render(request, "payouts/dashboard/creator.html", {**data, "form": form, "period": period})
