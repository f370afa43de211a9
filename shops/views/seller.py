"""The seller centre, /seller/. Every view scopes its queries to request.shop."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django_tables2 import RequestConfig

from common.exports import csv_response
from common.money import format_money
from common.views import say_errors

from .. import selectors, services
from ..exports import order_line_rows
from ..filters import OrderFilter, SellerProductFilter
from ..forms import ProductForm, ReasonForm, RefundForm, ShipForm, ShopProfileForm
from ..mixins import SellerRequiredMixin
from ..models import Order, Product, Refund
from ..tables import OrderTable, ProductTable


class SellerJoinView(LoginRequiredMixin, View):
    """Add the seller role to a signed-in person (a draft shop they then complete)."""

    def post(self, request):
        services.seller_register(user=request.user)
        messages.success(request, "You are now a seller. Complete your shop's profile to open it.")
        return redirect("seller:home")


class ShopProfileView(SellerRequiredMixin, View):
    template_name = "shops/seller/shop_profile.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ShopProfileForm(instance=request.shop)})

    def post(self, request):
        shop = request.shop
        form = ShopProfileForm(request.POST, request.FILES, instance=shop)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
            try:
                services.shop_update(shop=shop, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Shop profile saved.")
                return redirect("seller:home")
        shop.refresh_from_db()
        return render(request, self.template_name, {"form": form}, status=400)


class ShopSubmitView(SellerRequiredMixin, View):
    def post(self, request):
        try:
            services.shop_submit(shop=request.shop, by=request.user)
        except ValidationError as exc:
            say_errors(request, exc)
        else:
            messages.success(request, "Your shop is with our team for approval.")
        return redirect("seller:home")


class ProductListView(SellerRequiredMixin, View):
    def get(self, request):
        product_filter = SellerProductFilter(request.GET or None,
                                             queryset=selectors.products_of_shop(shop=request.shop))
        table = ProductTable(product_filter.qs)
        if request.GET.get("export") == "csv":
            return table.as_csv("products.csv")
        RequestConfig(request, paginate={"per_page": 25}).configure(table)
        return render(request, "shops/seller/product_list.html", {"table": table, "filter": product_filter})


class ProductCreateView(SellerRequiredMixin, View):
    template_name = "shops/seller/product_form.html"

    def get(self, request):
        if not request.shop.currency:
            messages.info(request, "Choose your shop's currency in its profile before adding products.")
            return redirect("seller:shop_profile")
        return render(request, self.template_name, {"form": ProductForm(shop=request.shop)})

    def post(self, request):
        form = ProductForm(request.POST, request.FILES, shop=request.shop)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in ProductForm.Meta.fields}
            try:
                product = services.product_create(shop=request.shop, images=form.cleaned_data["images"], **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Product saved as a draft. Send it for review when it is ready.")
                return redirect("seller:product_edit", pk=product.pk)
        return render(request, self.template_name, {"form": form}, status=400)


class ProductEditView(SellerRequiredMixin, View):
    template_name = "shops/seller/product_form.html"

    def get_product(self, pk) -> Product:
        return get_object_or_404(selectors.products_of_shop(shop=self.request.shop), pk=pk)

    def get(self, request, pk):
        product = self.get_product(pk)
        return render(request, self.template_name, {"form": ProductForm(instance=product, shop=request.shop),
                                                    "product": product})

    def post(self, request, pk):
        product = self.get_product(pk)
        form = ProductForm(request.POST, request.FILES, instance=product, shop=request.shop)
        if form.is_valid():
            was_live = product.status == Product.Status.LIVE
            data = {name: form.cleaned_data[name] for name in ProductForm.Meta.fields}
            try:
                product = services.product_update(
                    product=product, by=request.user, images=form.cleaned_data["images"],
                    remove_image_ids=[image.pk for image in form.cleaned_data.get("remove_images") or []], **data,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if was_live and product.status == Product.Status.IN_REVIEW:
                    messages.info(request, "Saved. The content changed, so the product is back in review.")
                else:
                    messages.success(request, "Product saved.")
                return redirect("seller:product_edit", pk=product.pk)
        product.refresh_from_db()
        return render(request, self.template_name, {"form": form, "product": product}, status=400)


class ProductActionView(SellerRequiredMixin, View):
    """Submit for review, archive or restore one of the shop's products."""

    ACTIONS = {
        "submit": (services.product_submit, "Sent for review. We will tell you the result here."),
        "archive": (services.product_archive, "Archived: buyers no longer see it."),
        "unarchive": (services.product_unarchive, "Restored as a draft."),
    }

    def post(self, request, pk, action):
        product = get_object_or_404(selectors.products_of_shop(shop=request.shop), pk=pk)
        if action not in self.ACTIONS:
            return redirect("seller:product_edit", pk=pk)
        service, success = self.ACTIONS[action]
        try:
            service(product=product, by=request.user)
        except ValidationError as exc:
            say_errors(request, exc)
        else:
            messages.success(request, success)
        return redirect("seller:product_edit", pk=pk)


class OrderListView(SellerRequiredMixin, View):
    def get(self, request):
        order_filter = OrderFilter(request.GET or None, queryset=selectors.orders_of_shop(shop=request.shop))
        if request.GET.get("export") == "csv":  # a row per order line: products and units reconcile
            return csv_response("orders.csv", order_line_rows(order_filter.qs))
        table = OrderTable(order_filter.qs)
        RequestConfig(request, paginate={"per_page": 25}).configure(table)
        return render(request, "shops/seller/order_list.html", {"table": table, "filter": order_filter})


class OrderDetailView(SellerRequiredMixin, View):
    template_name = "shops/seller/order_detail.html"

    def get_order(self, pk) -> Order:
        return get_object_or_404(selectors.order_detail_for_shop(shop=self.request.shop), pk=pk)

    def render_page(self, order, status=200, **forms):
        context = {
            "order": order,
            "ship_form": forms.get("ship_form") or ShipForm(),
            "cancel_form": forms.get("cancel_form") or ReasonForm(prefix="cancel"),
            "refund_form": forms.get("refund_form") or RefundForm(order=order, prefix="refund"),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.render_page(self.get_order(pk))

    def post(self, request, pk):
        order = self.get_order(pk)
        action = request.POST.get("action")
        try:
            if action == "ship":
                form = ShipForm(request.POST)
                if not form.is_valid():
                    return self.render_page(order, 400, ship_form=form)
                services.order_ship(order=order, by=request.user, tracking_number=form.cleaned_data["tracking_number"])
                messages.success(request, "Marked as shipped.")
            elif action == "deliver":
                services.order_deliver(order=order, by=request.user)
                messages.success(request, "Marked as delivered.")
            elif action == "cancel":
                form = ReasonForm(request.POST, prefix="cancel")
                if not form.is_valid():
                    return self.render_page(order, 400, cancel_form=form)
                refund = services.order_cancel(order=order, by=request.user, reason=form.cleaned_data["reason"])
                _say_refund(request, refund, done="Order cancelled; the buyer gets their money back.")
            elif action == "refund":
                form = RefundForm(request.POST, order=order, prefix="refund")
                if not form.is_valid():
                    return self.render_page(order, 400, refund_form=form)
                refund = services.order_refund(order=order, by=request.user, quantities=form.quantities(),
                                               reason=form.cleaned_data["reason"])
                _say_refund(request, refund, done=f"Refunded {format_money(refund.amount, order.currency)}.")
            else:
                messages.error(request, "Unknown action.")
        except ValidationError as exc:
            say_errors(request, exc)
        return redirect("seller:order_detail", pk=order.pk)


def _say_refund(request, refund: Refund, *, done: str) -> None:
    """What became of a refund sent to the payment provider."""
    if refund.status == Refund.Status.SUCCEEDED:
        messages.success(request, done)
    elif refund.status == Refund.Status.FAILED:
        messages.error(request, f"The payment provider refused the refund: {refund.failure_reason} "
                                "Nothing was refunded" + (" and the order is not cancelled." if refund.cancels_order
                                                           else "; you can try again."))
    else:
        messages.warning(request, "The payment provider has not answered yet. The refund stays pending and is "
                                  "sent again in a few minutes; this page shows when it is done.")
