"""The shop's routes, by area: config/urls.py mounts `public` at / under the "shop"
namespace and `seller` under /seller/ in the "seller" namespace."""

from django.urls import path

from .views import public, seller

public_urls = [
    path("", public.feed, name="feed"),
    path("p/<int:pk>/", public.product_detail, name="product"),
    path("s/<slug:slug>/", public.shop_detail, name="shop"),
    path("cart/", public.cart_detail, name="cart"),
    path("cart/add/<int:pk>/", public.cart_add, name="cart_add"),
    path("cart/update/<int:pk>/", public.cart_update, name="cart_update"),
    path("checkout/<slug:slug>/", public.CheckoutView.as_view(), name="checkout"),
    path("cart/code/<slug:slug>/", public.cart_code, name="cart_code"),
    path("orders/<str:token>/", public.order_confirmation, name="order_confirmation"),
]

seller_urls = [
    path("join/", seller.SellerJoinView.as_view(), name="join"),
    path("shop/", seller.ShopProfileView.as_view(), name="shop_profile"),
    path("shop/submit/", seller.ShopSubmitView.as_view(), name="shop_submit"),
    path("products/", seller.ProductListView.as_view(), name="product_list"),
    path("products/new/", seller.ProductCreateView.as_view(), name="product_create"),
    path("products/<int:pk>/", seller.ProductEditView.as_view(), name="product_edit"),
    path("products/<int:pk>/<slug:action>/", seller.ProductActionView.as_view(), name="product_action"),
    path("orders/", seller.OrderListView.as_view(), name="order_list"),
    path("orders/<int:pk>/", seller.OrderDetailView.as_view(), name="order_detail"),
]
