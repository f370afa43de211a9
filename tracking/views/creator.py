"""The creator's links: a product as the creator promotes it (the rate they earn, their
link), "Get my link", each link's clicks, orders and earnings over time; their posts with
their own links and figures; and their codes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django_tables2 import RequestConfig

from affiliates import services as affiliate_services
from affiliates.mixins import CreatorRequiredMixin
from affiliates.models import AffiliateProgram, CreatorCode
from affiliates.rates import rate_for
from affiliates.selectors import marketplace_products
from shops.models import Product

from .. import selectors, services
from ..forms import CodeForm, ContentForm
from ..models import Link
from ..periods import period_from
from ..selectors import conversion_rate
from ..tables import LinkStatsTable


class MarketplaceProductView(CreatorRequiredMixin, View):
    """One product as a creator sees it: the rate they earn and why, their link if they
    have one, and what they can do. The rate is asked with the link's date, so a link
    holder sees the rate a seller's cut leaves them, and until when (rates.py)."""

    def get(self, request, pk):
        creator = request.creator
        product = get_object_or_404(marketplace_products(creator=creator), pk=pk)
        link = selectors.link_of(creator=creator, product=product)
        return render(request, "tracking/creator/marketplace_product.html", {
            "product": product,
            "link": link,
            "link_url": request.build_absolute_uri(link.get_absolute_url()) if link else None,
            "quote": rate_for(creator=creator, product=product, link_since=link.created_at if link else None),
            "program": product.shop.affiliate_program,
            "in_showcase": creator.showcase_items.filter(product=product).exists(),
        })


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


class LinkDetailView(CreatorRequiredMixin, View):
    """One of the creator's links over time: clicks, orders and earnings per day, and the
    rate it earns now. Another creator's link is a 404."""

    def get(self, request, code):
        link = get_object_or_404(selectors.links_of_creator(creator=request.creator), code=code)
        form, period = period_from(request)
        days = selectors.link_days(link=link, period=period)
        return render(request, "tracking/creator/link_detail.html", {
            "link": link, "form": form, "period": period, **days,
            "conversion": conversion_rate(days["totals"]["orders"], days["totals"]["unique_clicks"]),
            "url": request.build_absolute_uri(link.get_absolute_url()),
            "quote": rate_for(creator=request.creator, product=link.product, link_since=link.created_at),
        })


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
        return render(request, "tracking/creator/links.html",
                      {"table": table, "form": form, "period": period, "links": links})


class ContentListView(CreatorRequiredMixin, View):
    """The creator's posts: register one (its products' links get the post's tag), and
    what each brought in the period, per shop."""

    template_name = "tracking/creator/contents.html"

    def form(self, request, data=None):
        products = (Product.objects.filter(links__creator=request.creator, status=Product.Status.LIVE)
                    .select_related("shop").order_by("title"))
        return ContentForm(data, products=products)

    def page(self, request, form, status=200):
        period_form, period = period_from(request)
        rows = selectors.content_rows(creator=request.creator, period=period)
        return render(request, self.template_name, {"form": form, "rows": rows, "period": period,
                                                    "period_form": period_form}, status=status)

    def get(self, request):
        return self.page(request, self.form(request))

    def post(self, request):
        form = self.form(request, request.POST)
        if form.is_valid():
            try:
                content = services.content_register(creator=request.creator, url=form.cleaned_data["url"],
                                                    title=form.cleaned_data["title"],
                                                    products=list(form.cleaned_data["products"]))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Registered. Share the post's links below: clicks and sales through "
                                          "them count for this post.")
                return redirect("creator:content_detail", pk=content.pk)
        return self.page(request, form, status=400)


class ContentDetailView(CreatorRequiredMixin, View):
    """One post: its links to copy, and its clicks, orders and earnings per day."""

    def get(self, request, pk):
        content = get_object_or_404(selectors.contents_of_creator(creator=request.creator), pk=pk)
        form, period = period_from(request)
        days = selectors.content_days(content=content, period=period)
        return render(request, "tracking/creator/content_detail.html", {
            "content": content, "form": form, "period": period, **days,
            "links": [(product, request.build_absolute_uri(path) if path else None)
                      for product, path in selectors.content_links(content=content)],
        })


class CreatorCodesView(CreatorRequiredMixin, View):
    """The creator's codes, one per shop they work with: make one, and see what each brought."""

    template_name = "tracking/creator/codes.html"

    def programs(self, request):
        shops = set(Link.objects.filter(creator=request.creator).values_list("product__shop_id", flat=True))
        return (AffiliateProgram.objects.filter(shop_id__in=shops, status=AffiliateProgram.Status.ACTIVE)
                .exclude(creator_codes__creator=request.creator).select_related("shop").order_by("shop__name"))

    def page(self, request, form, status=200):
        codes = list(CreatorCode.objects.filter(creator=request.creator).select_related("program__shop"))
        figures = selectors.code_figures(codes=codes)
        return render(request, self.template_name, {
            "form": form, "codes": [(code, figures[code.pk]) for code in codes]}, status=status)

    def get(self, request):
        return self.page(request, CodeForm(programs=self.programs(request)))

    def post(self, request):
        form = CodeForm(request.POST, programs=self.programs(request))
        if form.is_valid():
            try:
                code = affiliate_services.code_create(creator=request.creator, program=form.cleaned_data["program"],
                                                      code=form.cleaned_data["code"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"Your code {code.code} works at {code.program.shop.name} now.")
                return redirect("creator:codes")
        return self.page(request, form, status=400)
