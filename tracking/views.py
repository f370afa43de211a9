"""Links for creators, performance for sellers and creators, and the public showcase."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django_tables2 import RequestConfig

from affiliates.mixins import CreatorRequiredMixin
from affiliates.models import Creator
from affiliates.rates import rate_for
from affiliates.selectors import marketplace_products, showcase_of
from affiliates.views_seller import ProgramRequiredMixin

from . import selectors, services
from .models import ProductAffiliateDaily
from .periods import period_from
from .tables import CreatorStatsTable, LinkStatsTable, ProductStatsTable


class LinkCreateView(CreatorRequiredMixin, View):
    """"Get my link": made on first use, the same link afterwards. Answers htmx with the link."""

    def post(self, request, product_pk):
        product = get_object_or_404(marketplace_products(creator=request.creator), pk=product_pk)
        try:
            link = services.link_get_or_create(creator=request.creator, product=product)
        except ValidationError as exc:
            if request.htmx:
                return render(request, "tracking/partials/link_error.html", {"message": exc.messages[0]})
            messages.error(request, exc.messages[0])
            return redirect("creator:marketplace_product", pk=product.pk)
        url = request.build_absolute_uri(link.get_absolute_url())
        quote = rate_for(creator=request.creator, product=product, link_since=link.created_at)
        if request.htmx:
            return render(request, "tracking/partials/link.html", {"url": url, "quote": quote})
        messages.success(request, f"Your link: {url}")
        return redirect("creator:marketplace_product", pk=product.pk)


class CreatorLinksView(CreatorRequiredMixin, View):
    """The creator's links with their clicks, orders and GMV for the period."""

    def get(self, request):
        form, period = period_from(request)
        rows = selectors.stats_grouped(
            scope=Q(creator=request.creator), period=period,
            group_by={"product_title": "product__title", "shop_name": "shop__name", "code": "link__code",
                      "currency": "shop__currency"},
        )
        table = LinkStatsTable(list(rows))
        if request.GET.get("export") == "csv":
            return table.as_csv("links.csv")
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        links = selectors.links_of_creator(creator=request.creator)
        return render(request, "tracking/creator_links.html",
                      {"table": table, "form": form, "period": period, "links": links})


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


def showcase(request, handle):
    """The creator's public showcase, /@handle: each product through the creator's own link."""
    creator = get_object_or_404(Creator, handle=handle.lower(), status=Creator.Status.APPROVED)
    items = list(showcase_of(creator=creator))
    codes = dict(selectors.links_of_creator(creator=creator).filter(
        product__in=[item.product_id for item in items]).values_list("product_id", "code"))
    return render(request, "tracking/showcase.html", {"creator": creator, "items": items, "codes": codes})
