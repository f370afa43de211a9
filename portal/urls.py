"""The homes of the two areas (mounted in config/urls.py)."""

from django.urls import path

from . import views

seller_urls = [
    path("", views.SellerHomeView.as_view(), name="home"),
]

creator_urls = [
    path("", views.CreatorHomeView.as_view(), name="home"),
]
