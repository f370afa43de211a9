"""The seller's affiliate pages, /seller/affiliates/. Every query is scoped to request.shop."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django_tables2 import RequestConfig

from common.views import say_errors
from shops.mixins import SellerRequiredMixin
from shops.models import Product

from .. import selectors, services
from ..filters import SampleFilter
from ..forms import InvitationForm, MessageForm, OpenProductsForm, ProgramForm, ReasonForm, TrackingForm
from ..mixins import ProgramRequiredMixin
from ..models import Application, OpenProduct
from ..tables import SampleTable


class ProgramView(SellerRequiredMixin, View):
    """Join the program, or change its terms; leave it."""

    template_name = "affiliates/seller/program.html"

    def page(self, request, form, status=200):
        program = selectors.program_for_shop(shop=request.shop)
        context = {"form": form, "program": program}
        if program is not None and program.is_active:
            context["todo"] = selectors.seller_affiliate_todo(program=program)
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        program = selectors.program_for_shop(shop=request.shop)
        return self.page(request, ProgramForm(instance=program, shop=request.shop))

    def post(self, request):
        program = selectors.program_for_shop(shop=request.shop)
        old_rate = program.default_rate if program else None
        form = ProgramForm(request.POST, instance=program, shop=request.shop)
        if not form.is_valid():
            return self.page(request, form, status=400)
        data = {name: form.cleaned_data[name] for name in ProgramForm.Meta.fields}
        try:
            if program is None or not program.is_active:
                services.program_join(shop=request.shop, by=request.user, **data)
                messages.success(request, "Welcome to the affiliate program. Open products to creators next.")
            else:
                services.program_update(program=program, by=request.user, **data)
                if data["default_rate"] < old_rate:
                    messages.warning(request, (
                        f"You lowered the default rate to {data['default_rate']} %. Creators who already hold a "
                        "link keep the old rate for 30 more days; new creators get the new rate now."))
                else:
                    messages.success(request, "Program terms saved.")
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.page(request, form, status=400)
        return redirect("seller:program")


class ProgramLeaveView(SellerRequiredMixin, View):
    def post(self, request):
        program = selectors.program_for_shop(shop=request.shop)
        if program is None:
            return redirect("seller:program")
        try:
            services.program_leave(program=program, by=request.user)
        except ValidationError as exc:
            say_errors(request, exc)
        else:
            messages.success(request, "You left the affiliate program. Commissions already earned are still paid.")
        return redirect("seller:program")


class OpenProductsView(ProgramRequiredMixin, View):
    template_name = "affiliates/seller/open_products.html"

    def form(self, request, data=None):
        products = Product.objects.filter(shop=request.shop, status=Product.Status.LIVE).order_by("title")
        open_rates = dict(OpenProduct.objects.filter(program=request.program).values_list("product_id", "rate"))
        return OpenProductsForm(data, products=products, open_rates=open_rates)

    def page(self, request, form, status=200):
        return render(request, self.template_name,
                      {"form": form, "cuts": selectors.pending_rate_cuts(program=request.program)}, status=status)

    def get(self, request):
        return self.page(request, self.form(request))

    def post(self, request):
        form = self.form(request, request.POST)
        if not form.is_valid():
            return self.page(request, form, status=400)
        opened, closed = form.changes()
        try:
            cuts = services.open_products_set(program=request.program, by=request.user, rates=opened, close=closed)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.page(request, form, status=400)
        messages.success(request, "Open collaboration saved.")
        if cuts:
            reach = services.rate_cut_reaches_link_holders_at(cuts[0])
            messages.warning(request, (
                f"You lowered {len(cuts)} rate(s). Creators who already hold a link for those products keep their "
                f"rate until {reach:%Y-%m-%d}; new creators get the new rate now."))
        return redirect("seller:open_products")


class InviteView(ProgramRequiredMixin, View):
    template_name = "affiliates/seller/invite.html"

    def creators(self, request, source):
        ids = [value for value in source.getlist("creator") if value.isdigit()]
        return list(selectors.creators_for_sellers().filter(pk__in=ids))

    def products(self, request):
        return Product.objects.filter(shop=request.shop, status=Product.Status.LIVE).order_by("title")

    def get(self, request):
        creators = self.creators(request, request.GET)
        if not creators:
            messages.info(request, "Choose one or more creators to invite.")
            return redirect("seller:creators")
        return render(request, self.template_name,
                      {"form": InvitationForm(products=self.products(request)), "creators": creators})

    def post(self, request):
        creators = self.creators(request, request.POST)
        form = InvitationForm(request.POST, products=self.products(request))
        if not creators:
            messages.error(request, "Choose one or more creators to invite.")
            return redirect("seller:creators")
        if form.is_valid():
            chosen = form.cleaned_data["scope"] == InvitationForm.SCOPE_CHOSEN
            try:
                invitations = services.invitation_send(
                    program=request.program, creators=creators, by=request.user, message=form.cleaned_data["message"],
                    product_rates=form.product_rates() if chosen else None,
                    all_products_rate=None if chosen else form.cleaned_data["all_products_rate"],
                    ends_on=form.cleaned_data["ends_on"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"Sent {len(invitations)} invitation(s). They expire in 14 days.")
                return redirect("seller:invitations")
        return render(request, self.template_name, {"form": form, "creators": creators}, status=400)


class InvitationListView(ProgramRequiredMixin, View):
    def get(self, request):
        collaborations = list(selectors.collaborations_of_program(program=request.program)[:200])
        return render(request, "affiliates/seller/invitations.html", {
            "invitations": selectors.invitations_of_program(program=request.program)[:200],
            "collaborations": collaborations,
            "ending": selectors.ending_consequences(collaborations=collaborations),
        })


class InvitationWithdrawView(ProgramRequiredMixin, View):
    def post(self, request, pk):
        invitation = get_object_or_404(selectors.invitations_of_program(program=request.program), pk=pk)
        try:
            services.invitation_withdraw(invitation=invitation, by=request.user)
            messages.success(request, "Invitation withdrawn.")
        except ValidationError as exc:
            say_errors(request, exc)
        return redirect("seller:invitations")


class CollaborationEndView(ProgramRequiredMixin, View):
    def post(self, request, pk):
        collaboration = get_object_or_404(selectors.collaborations_of_program(program=request.program), pk=pk)
        after = selectors.ending_consequences(collaborations=[collaboration]).get(collaboration.pk)
        try:
            services.collaboration_end(collaboration=collaboration, by=request.user)
            messages.success(request, f"Collaboration with @{collaboration.creator.handle} ended. From now on {after}; "
                                      "sales before now keep the collaboration rate.")
        except ValidationError as exc:
            say_errors(request, exc)
        return redirect("seller:invitations")


class ApplicationListView(ProgramRequiredMixin, View):
    def get(self, request):
        applications = selectors.applications_of_program(program=request.program)
        return render(request, "affiliates/seller/applications.html", {
            "pending": applications.filter(status=Application.Status.PENDING),
            "decided": applications.exclude(status=Application.Status.PENDING)[:100],
            "form": MessageForm(),
        })


class ApplicationDecideView(ProgramRequiredMixin, View):
    def post(self, request, pk, decision):
        application = get_object_or_404(selectors.applications_of_program(program=request.program), pk=pk)
        form = MessageForm(request.POST)
        if not form.is_valid():
            say_errors(request, ValidationError(form.errors["message"]))
            return redirect("seller:applications")
        try:
            if decision == "approve":
                services.application_approve(application=application, by=request.user,
                                             message=form.cleaned_data["message"])
                target = application.product or "your shop"
                messages.success(request, f"{application.creator} may now promote {target}.")
            elif decision == "decline":
                services.application_decline(application=application, by=request.user,
                                             message=form.cleaned_data["message"])
                messages.success(request, "Application declined.")
        except ValidationError as exc:
            say_errors(request, exc)
        return redirect("seller:applications")


class SampleListView(ProgramRequiredMixin, View):
    def get(self, request):
        samples = selectors.samples_of_program(program=request.program)
        sample_filter = SampleFilter(request.GET or None, queryset=samples)
        table = SampleTable(sample_filter.qs)
        if request.GET.get("export") == "csv":
            return table.as_csv("samples.csv")
        RequestConfig(request, paginate={"per_page": 25}).configure(table)
        return render(request, "affiliates/seller/samples.html", {"table": table, "filter": sample_filter})


class SampleActionView(ProgramRequiredMixin, View):
    def post(self, request, pk, action):
        sample = get_object_or_404(selectors.samples_of_program(program=request.program), pk=pk)
        try:
            if action == "approve":
                sample = services.sample_approve(sample=sample, by=request.user)
            elif action == "decline":
                form = ReasonForm(request.POST)
                if not form.is_valid():
                    raise ValidationError("Say why you decline: the creator reads it.")
                sample = services.sample_decline(sample=sample, by=request.user, reason=form.cleaned_data["reason"])
            elif action == "ship":
                form = TrackingForm(request.POST)
                if not form.is_valid():
                    raise ValidationError("Enter the parcel's tracking number.")
                sample = services.sample_ship(sample=sample, by=request.user,
                                              tracking_number=form.cleaned_data["tracking_number"])
            elif action == "deliver":
                sample = services.sample_mark_delivered(sample=sample, by=request.user)
            else:
                raise ValidationError("Unknown action.")
            messages.success(request, f"Sample request for {sample.product}: {sample.get_status_display().lower()}.")
        except ValidationError as exc:
            say_errors(request, exc)
        return redirect("seller:samples")
