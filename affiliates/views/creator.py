"""The creator portal, /creator/. Every view scopes its queries to request.creator."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from common.views import say_errors
from shops.models import Product

from .. import selectors, services
from ..filters import MarketplaceFilter
from ..forms import ContentForm, CreatorProfileForm, MessageForm, SampleRequestForm
from ..mixins import CreatorRequiredMixin


class CreatorJoinView(LoginRequiredMixin, View):
    """Add the creator role to a signed-in person (pending staff approval)."""

    def post(self, request):
        services.creator_register(user=request.user)
        messages.success(request, "You are now a creator. Complete your profile so staff can approve it.")
        return redirect("creator:profile")


class ProfileView(CreatorRequiredMixin, View):
    template_name = "affiliates/creator/profile.html"

    def get(self, request):
        return render(request, self.template_name, {"form": CreatorProfileForm(instance=request.creator)})

    def post(self, request):
        creator = request.creator
        form = CreatorProfileForm(request.POST, request.FILES, instance=creator)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in CreatorProfileForm.Meta.fields if name != "niches"}
            if not form.cleaned_data.get("avatar") or "avatar" not in form.changed_data:
                data.pop("avatar")
            try:
                services.creator_update(creator=creator, niches=form.cleaned_data["niches"], **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Profile saved.")
                return redirect("creator:home")
        creator.refresh_from_db()
        return render(request, self.template_name, {"form": form}, status=400)


class MarketplaceView(CreatorRequiredMixin, View):
    def get(self, request):
        products = selectors.marketplace_products(creator=request.creator).order_by("-current_rate", "-pk")
        market_filter = MarketplaceFilter(request.GET or None, queryset=products)
        page = Paginator(market_filter.qs, 24).get_page(request.GET.get("page"))
        return render(request, "affiliates/creator/marketplace.html", {"filter": market_filter, "page_obj": page})


def _marketplace_product(request, pk) -> Product:
    """A product this creator may see in the marketplace, else 404. (Its page, with the
    rate the creator earns and their link, is tracking's: it needs the link's date.)"""
    return get_object_or_404(selectors.marketplace_products(creator=request.creator), pk=pk)


class ApplyView(CreatorRequiredMixin, View):
    def post(self, request, pk):
        product = _marketplace_product(request, pk)
        form = MessageForm(request.POST)
        whole_shop = request.POST.get("scope") == "shop"
        if form.is_valid():
            try:
                application = services.application_submit(
                    creator=request.creator, program=product.shop.affiliate_program,
                    product=None if whole_shop else product, message=form.cleaned_data["message"])
            except ValidationError as exc:
                say_errors(request, exc)
            else:
                messages.success(request, "Approved: you can promote it now." if application.status == "approved"
                                 else "Application sent. The seller will answer in your inbox.")
        else:
            say_errors(request, ValidationError(form.errors["message"]))
        return redirect("creator:marketplace_product", pk=product.pk)


class SampleRequestView(CreatorRequiredMixin, View):
    template_name = "affiliates/creator/sample_request.html"

    def get(self, request, pk):
        product = _marketplace_product(request, pk)
        return render(request, self.template_name, {"product": product, "form": SampleRequestForm()})

    def post(self, request, pk):
        product = _marketplace_product(request, pk)
        form = SampleRequestForm(request.POST)
        if form.is_valid():
            try:
                services.sample_request_create(creator=request.creator, product=product, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Sample requested. The seller answers within 7 days.")
                return redirect("creator:inbox")
        return render(request, self.template_name, {"product": product, "form": form}, status=400)


class InboxView(CreatorRequiredMixin, View):
    def get(self, request):
        creator = request.creator
        invitations = list(selectors.invitations_of_creator(creator=creator)[:100])
        return render(request, "affiliates/creator/inbox.html", {
            "invitations": invitations,
            "after": selectors.after_collaborations(creator=creator, invitations=invitations),
            "applications": selectors.applications_of_creator(creator=creator)[:100],
            "samples": selectors.samples_of_creator(creator=creator)[:100],
            "content_form": ContentForm(),
        })


class InvitationAnswerView(CreatorRequiredMixin, View):
    def post(self, request, pk, answer):
        invitation = get_object_or_404(selectors.invitations_of_creator(creator=request.creator), pk=pk)
        try:
            if answer == "accept":
                services.invitation_accept(invitation=invitation, by=request.user)
                messages.success(request, f"You now collaborate with {invitation.program.shop}.")
            elif answer == "decline":
                services.invitation_decline(invitation=invitation, by=request.user)
                messages.success(request, "Invitation declined.")
        except ValidationError as exc:
            say_errors(request, exc)
        return redirect("creator:inbox")


class ApplicationWithdrawView(CreatorRequiredMixin, View):
    def post(self, request, pk):
        application = get_object_or_404(selectors.applications_of_creator(creator=request.creator), pk=pk)
        try:
            services.application_withdraw(application=application, by=request.user)
            messages.success(request, "Application withdrawn.")
        except ValidationError as exc:
            say_errors(request, exc)
        return redirect("creator:inbox")


class SampleUpdateView(CreatorRequiredMixin, View):
    def post(self, request, pk, action):
        sample = get_object_or_404(selectors.samples_of_creator(creator=request.creator), pk=pk)
        try:
            if action == "received":
                services.sample_mark_delivered(sample=sample, by=request.user)
                messages.success(request, "Enjoy it! Post your content within 14 days.")
            elif action == "content":
                form = ContentForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(form.errors["content_url"])
                services.sample_post_content(sample=sample, by=request.user,
                                             content_url=form.cleaned_data["content_url"])
                messages.success(request, "Thanks: the seller can see your post.")
        except ValidationError as exc:
            say_errors(request, exc)
        return redirect("creator:inbox")


class ShowcaseManageView(CreatorRequiredMixin, View):
    def get(self, request):
        items = request.creator.showcase_items.select_related("product__shop")
        return render(request, "affiliates/creator/showcase_manage.html", {"items": items})


class ShowcaseAddView(CreatorRequiredMixin, View):
    def post(self, request, pk):
        product = _marketplace_product(request, pk)
        try:
            services.showcase_add(creator=request.creator, product=product)
            messages.success(request, f"{product.title} is on your showcase.")
        except ValidationError as exc:
            say_errors(request, exc)
        return redirect("creator:marketplace_product", pk=pk)


class ShowcaseItemView(CreatorRequiredMixin, View):
    def post(self, request, pk, action):
        item = get_object_or_404(request.creator.showcase_items.all(), pk=pk)
        if action == "remove":
            services.showcase_remove(item=item)
        elif action in ("up", "down"):
            services.showcase_move(item=item, offset=-1 if action == "up" else 1)
        return redirect("creator:showcase")
