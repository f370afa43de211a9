"""The creator's links: "Get my link", and each link's clicks, orders and earnings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django_tables2 import RequestConfig

from affiliates.mixins import CreatorRequiredMixin
from affiliates.rates import rate_for
from affiliates.selectors import marketplace_products

from .. import selectors, services
from ..periods import period_from
from ..tables import LinkStatsTable


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
