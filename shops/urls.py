from django.urls import path

from . import views

app_name = "shops"

urlpatterns = [
    path("", views.feed, name="feed"),
    path("p/<int:pk>/", views.product_detail, name="product"),
    path("s/<slug:slug>/", views.shop_detail, name="shop"),
    path("cart/", views.cart_detail, name="cart"),
    path("cart/add/<int:pk>/", views.cart_add, name="cart_add"),
    path("cart/update/<int:pk>/", views.cart_update, name="cart_update"),
    path("checkout/<slug:slug>/", views.CheckoutView.as_view(), name="checkout"),
    path("orders/<str:token>/", views.order_confirmation, name="order_confirmation"),
]
