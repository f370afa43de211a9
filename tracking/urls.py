"""Tracking's routes: the public showcase, the seller's performance, the creator's links.
The redirect /r/<code> is mounted on its own in config/urls.py (and answered before
Django in production: tracking/redirect.py)."""

from django.urls import path

from .views import creator, public, seller

public_urls = [
    path("@<str:handle>/", public.showcase, name="showcase"),
]

seller_urls = [
    path("affiliates/performance/", seller.SellerPerformanceView.as_view(), name="performance"),
    path("affiliates/creators/", seller.CreatorDirectoryView.as_view(), name="creators"),
    path("affiliates/creators/<slug:handle>/", seller.CreatorDetailView.as_view(), name="creator_detail"),
]

creator_urls = [
    path("links/", creator.CreatorLinksView.as_view(), name="links"),
    path("links/new/<int:product_pk>/", creator.LinkCreateView.as_view(), name="link_create"),
]
