"""Public pages: the shopping feed, product and shop pages, the cart and checkout."""

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..cart import MAX_QUANTITY, Cart
from ..filters import FeedFilter
from ..forms import AddToCartForm, CartUpdateForm, CheckoutForm
from ..models import Order, Product, Shop

FEED_PAGE_SIZE = 24


def feed(request):
    """The shopping feed at /: live products of active shops, searchable and sortable."""
    products = selectors.products_live().order_by(*FeedFilter.SORTS["newest"])
    feed_filter = FeedFilter(request.GET or None, queryset=products)
    page = Paginator(feed_filter.qs, FEED_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "shops/feed.html", {"filter": feed_filter, "page_obj": page})


def product_detail(request, pk):
    product = get_object_or_404(selectors.products_live(), pk=pk)
    return render(request, "shops/product_detail.html", {
        "product": product, "images": product.images.all(),
        "form": AddToCartForm(initial={"quantity": 1}),
        "max_quantity": min(MAX_QUANTITY, product.stock) if product.stock is not None else MAX_QUANTITY,
    })


def shop_detail(request, slug):
    shop = get_object_or_404(selectors.shop_public(slug=slug))
    products = selectors.products_live().filter(shop=shop).order_by(*FeedFilter.SORTS["newest"])
    page = Paginator(products, FEED_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "shops/shop_detail.html", {"shop": shop, "page_obj": page})


@require_POST
def cart_add(request, pk):
    product = get_object_or_404(selectors.products_live(), pk=pk)
    form = AddToCartForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Choose a quantity from 1 to {MAX_QUANTITY}.")
        return redirect(product)
    cart = Cart(request.session)
    wanted = cart.items.get(product.pk, 0) + form.cleaned_data["quantity"]
    if product.stock is not None and wanted > product.stock:
        messages.error(request, f"{product.title} is sold out." if product.stock == 0
                       else f"Only {product.stock} of {product.title} left.")
        return redirect(product)
    cart.set(product, min(wanted, MAX_QUANTITY))
    messages.success(request, f"Added {product.title} to your cart.")
    return redirect("shop:cart")


@require_POST
def cart_update(request, pk):
    cart = Cart(request.session)
    form = CartUpdateForm(request.POST)
    product = Product.objects.filter(pk=pk).first()
    if product is None or pk not in cart.items:
        return redirect("shop:cart")
    if not form.is_valid():
        messages.error(request, f"Choose a quantity from 0 to {MAX_QUANTITY}.")
    elif product.stock is not None and form.cleaned_data["quantity"] > product.stock:
        messages.error(request, f"Only {product.stock} of {product.title} left.")
    else:
        cart.set(product, form.cleaned_data["quantity"])
    return redirect("shop:cart")


def cart_detail(request):
    cart = Cart(request.session)
    groups = cart.groups()
    for problem in cart.code_problems:
        messages.warning(request, f"{problem} It was removed from your cart.")
    return render(request, "shops/cart.html", {"groups": groups})


@require_POST
def cart_code(request, slug):
    """Enter a creator's code for one shop's items (or remove it); back to where it was entered."""
    shop = get_object_or_404(Shop, slug=slug, status=Shop.Status.ACTIVE)
    cart = Cart(request.session)
    if request.POST.get("remove"):
        cart.remove_code(shop)
        messages.info(request, "Code removed.")
    else:
        text = request.POST.get("code", "")[:40]
        if not text.strip():
            messages.error(request, "Enter a code.")
        else:
            try:
                offer = cart.apply_code(shop, text)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, f"Code {offer.code}: {offer.description}.")
    if request.POST.get("next") == "checkout":
        return redirect("shop:checkout", slug=slug)
    return redirect("shop:cart")


class CheckoutView(View):
    """Checkout for one shop's items in the cart: guest details, address, card."""

    template_name = "shops/checkout.html"

    def dispatch(self, request, slug):
        self.shop = get_object_or_404(Shop, slug=slug, status=Shop.Status.ACTIVE)
        self.cart = Cart(request.session)
        self.group = next((g for g in self.cart.groups() if g.shop.pk == self.shop.pk), None)
        for problem in self.cart.code_problems:
            messages.warning(request, f"{problem} It was removed from your cart.")
        if self.group is None:
            messages.info(request, "Your cart has nothing from this shop.")
            return redirect("shop:cart")
        self.needs_shipping = any(line.product.needs_shipping for line in self.group.lines)
        return super().dispatch(request, slug)

    def _render(self, form):
        return render(self.request, self.template_name, {
            "shop": self.shop, "group": self.group, "form": form, "needs_shipping": self.needs_shipping,
        })

    def get(self, request, slug):
        initial = {"checkout_key": secrets.token_urlsafe(24)}
        if request.user.is_authenticated:
            initial["email"] = request.user.email
        return self._render(CheckoutForm(initial=initial, needs_shipping=self.needs_shipping))

    def post(self, request, slug):
        form = CheckoutForm(request.POST, needs_shipping=self.needs_shipping)
        if not form.is_valid():
            return self._render(form)
        data = form.cleaned_data
        buyer = services.BuyerDetails(
            email=data["email"], name=data["name"], address_line1=data.get("address_line1", ""),
            address_line2=data.get("address_line2", ""), city=data.get("city", ""),
            postal_code=data.get("postal_code", ""), country=data.get("country", ""),
        )
        try:
            order = services.order_place(
                shop=self.shop, items=self.cart.items_of_shop(self.shop), buyer=buyer,
                checkout_key=data["checkout_key"], user=request.user, request=request, code=self.group.code,
            )
            order = services.order_pay(order=order, card_number=data["card_number"])
        except services.CheckoutError as exc:
            if self.group.code:  # the code may have run out meanwhile: price the page again
                self.group = next((g for g in self.cart.groups() if g.shop.pk == self.shop.pk), self.group)
            return self._retry(form, exc.messages)
        if order.status == Order.Status.PAYMENT_FAILED:
            # This form was sent twice and the first submission's card was declined.
            return self._retry(form, ["The payment for this order failed. Please try again."])
        if order.status != Order.Status.PENDING_PAYMENT:
            self.cart.remove_products([line.product_id for line in order.lines.all()])
        # Still pending: another submission of this form is charging the card; its page says so.
        return redirect(order)

    def _retry(self, form, messages_: list[str]):
        for message in messages_:
            form.add_error(None, message)
        # A new key: the next attempt is a new order, not the failed one again.
        form.data = form.data.copy()
        form.data["checkout_key"] = secrets.token_urlsafe(24)
        return self._render(form)


def order_confirmation(request, token):
    """Reached by the unguessable token in the order's URL and confirmation email."""
    order = get_object_or_404(Order.objects.select_related("shop").prefetch_related("lines"), token=token)
    return render(request, "shops/order_confirmation.html", {"order": order})
