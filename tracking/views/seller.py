"""The seller's affiliate performance by product and by creator, the directory of
creators to find, with their recent sales, and who a rate cut has not reached yet."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django_tables2 import RequestConfig

from affiliates import services as affiliate_services
from affiliates.mixins import ProgramRequiredMixin
from affiliates.models import CreatorCode
from affiliates.selectors import collaborations_of_program, fulfilment_rate, pending_rate_cuts

from .. import selectors
from ..filters import CreatorFilter
from ..forms import CodeTermsForm
from ..models import ProductAffiliateDaily, ShopAffiliateDaily
from ..periods import period_from
from ..tables import ContentStatsTable, CreatorStatsTable, CreatorTable, ProductStatsTable


class SellerPerformanceView(ProgramRequiredMixin, View):
    """Clicks, unique clicks, orders, conversion and GMV by product (the default tab) or by
    creator (?by=creator); each tab computes only its own table."""

    def get(self, request):
        form, period = period_from(request)
        tab = request.GET.get("by") if request.GET.get("by") in ("creator", "content") else "product"
        by_creator = tab == "creator"
        currency = request.shop.currency
        if tab == "content":
            rows = selectors.content_report(scope=Q(shop=request.shop), period=period)
            table = ContentStatsTable(rows)
        elif by_creator:
            rows = selectors.creator_figures(shop=request.shop, period=period)
            table = CreatorStatsTable([{**row, "currency": currency} for row in rows])
        else:
            rows = selectors.stats_grouped(scope=Q(shop=request.shop), period=period,
                                           group_by={"product_title": "product__title"}, model=ProductAffiliateDaily)
            table = ProductStatsTable([{**row, "currency": currency} for row in rows])
        if request.GET.get("export") == "csv":
            return table.as_csv(f"performance-by-{tab}.csv")
        RequestConfig(request, paginate={"per_page": 25}).configure(table)
        return render(request, "tracking/seller_performance.html", {
            "table": table, "by_creator": by_creator, "tab": tab, "form": form, "period": period,
            "channels": selectors.orders_by_channel(scope=Q(shop=request.shop), period=period,
                                                    model=ShopAffiliateDaily),
            "currency": currency})


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


class RateCutsView(ProgramRequiredMixin, View):
    """The program's rate cuts still waiting to apply, each with the creators whose links
    predate it: they keep the old rate until the date shown (affiliates.rates)."""

    def get(self, request):
        cuts = pending_rate_cuts(program=request.program)
        holders = selectors.protected_link_holders(cuts=cuts)
        return render(request, "tracking/seller/rate_cuts.html", {
            "cuts": [(cut, *holders[cut.pk]) for cut in cuts], "listed": selectors.PROTECTED_LISTED})


class SellerCodesView(ProgramRequiredMixin, View):
    """The creators' codes at this shop: what each gives buyers, how often it was used,
    the orders it brought; each code's terms are set on its own page."""

    def get(self, request):
        codes = list(CreatorCode.objects.filter(program=request.program).select_related("creator")
                     .order_by("-is_active", "code"))
        figures = selectors.code_figures(codes=codes)
        return render(request, "tracking/seller/codes.html", {
            "codes": [(code, figures[code.pk]) for code in codes], "currency": request.shop.currency})


class SellerCodeEditView(ProgramRequiredMixin, View):
    """One creator code's terms: the buyer's discount (paid by the shop), its cap, dates,
    usage limit, and the switch for a leaked code."""

    template_name = "tracking/seller/code_edit.html"

    def get(self, request, pk):
        code = get_object_or_404(CreatorCode.objects.filter(program=request.program).select_related("creator"), pk=pk)
        return render(request, self.template_name, {"code": code, "form": CodeTermsForm(instance=code)})

    def post(self, request, pk):
        code = get_object_or_404(CreatorCode.objects.filter(program=request.program).select_related("creator"), pk=pk)
        form = CodeTermsForm(request.POST, instance=CreatorCode.objects.get(pk=code.pk))
        if form.is_valid():
            try:
                affiliate_services.code_update(code=code, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"Saved the terms of {code.code}.")
                return redirect("seller:codes")
        return render(request, self.template_name, {"code": code, "form": form}, status=400)
