from django.urls import path

from . import views_seller

app_name = "seller"

urlpatterns = [
    path("", views_seller.SellerHomeView.as_view(), name="home"),
    path("join/", views_seller.SellerJoinView.as_view(), name="join"),
]
