from django.urls import path

from . import views_seller as views

app_name = "seller"

urlpatterns = [
    path("join/", views.SellerJoinView.as_view(), name="join"),
    path("shop/", views.ShopProfileView.as_view(), name="shop_profile"),
    path("shop/submit/", views.ShopSubmitView.as_view(), name="shop_submit"),
    path("products/", views.ProductListView.as_view(), name="product_list"),
    path("products/new/", views.ProductCreateView.as_view(), name="product_create"),
    path("products/<int:pk>/", views.ProductEditView.as_view(), name="product_edit"),
    path("products/<int:pk>/<slug:action>/", views.ProductActionView.as_view(), name="product_action"),
    path("orders/", views.OrderListView.as_view(), name="order_list"),
    path("orders/<int:pk>/", views.OrderDetailView.as_view(), name="order_detail"),
]
