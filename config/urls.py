from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from payouts import views as payout_views
from portal import views
from tracking import views as tracking_views
from tracking.redirect import redirect_view

urlpatterns = [
    path("", include("shops.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("welcome/", views.home_for_role, name="home_for_role"),
    path("accounts/", include("allauth.urls")),
    path("seller/", views.SellerHomeView.as_view(), name="seller_home"),
    path("creator/", views.CreatorHomeView.as_view(), name="creator_home"),
    path("seller/affiliates/", include("affiliates.urls_seller")),
    path("seller/", include("shops.urls_seller")),
    path("creator/", include("affiliates.urls_creator")),
    path("r/<str:code>", redirect_view, name="redirect"),
    path("creator/links/", include("tracking.urls_creator")),
    path("creator/earnings/", include("payouts.urls_creator")),
    path("seller/affiliates/statements/", payout_views.SellerStatementView.as_view(), name="seller_statement"),
    path("seller/affiliates/orders/", payout_views.AffiliateOrdersView.as_view(), name="seller_affiliate_orders"),
    path("seller/affiliates/performance/", tracking_views.SellerPerformanceView.as_view(), name="seller_performance"),
    path("@<str:handle>/", tracking_views.showcase, name="showcase"),
    path(settings.ADMIN_URL, admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if settings.BENCH_ENDPOINTS:
    urlpatterns += [path("bench/bare", views.bench_bare_redirect)]
