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
    path("affiliates/rate-cuts/", seller.RateCutsView.as_view(), name="rate_cuts"),
    path("affiliates/codes/", seller.SellerCodesView.as_view(), name="codes"),
    path("affiliates/codes/<int:pk>/", seller.SellerCodeEditView.as_view(), name="code_edit"),
]

creator_urls = [
    path("marketplace/<int:pk>/", creator.MarketplaceProductView.as_view(), name="marketplace_product"),
    path("links/", creator.CreatorLinksView.as_view(), name="links"),
    path("links/new/<int:product_pk>/", creator.LinkCreateView.as_view(), name="link_create"),
    path("links/<str:code>/", creator.LinkDetailView.as_view(), name="link_detail"),
    path("content/", creator.ContentListView.as_view(), name="contents"),
    path("content/<int:pk>/", creator.ContentDetailView.as_view(), name="content_detail"),
    path("codes/", creator.CreatorCodesView.as_view(), name="codes"),
]
