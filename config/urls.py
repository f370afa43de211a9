"""The site's routes. Each app lists its own routes per area; here they are mounted, one
URL namespace per area: `shop:` (what buyers see), `seller:` (/seller/), `creator:`
(/creator/). Names are unique within an area (tests/portal/test_urls.py checks it)."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from affiliates import urls as affiliates
from api.views import pages as api_pages
from payouts import urls as payouts
from portal import urls as portal
from portal import views
from shops import urls as shops
from tracking import urls as tracking
from tracking.redirect import redirect_view

AREAS = {
    "shop": shops.public_urls + tracking.public_urls,
    "seller": portal.seller_urls + shops.seller_urls + affiliates.seller_urls + tracking.seller_urls
    + payouts.seller_urls,
    "creator": portal.creator_urls + affiliates.creator_urls + tracking.creator_urls + payouts.creator_urls,
}

urlpatterns = [
    path("", include((AREAS["shop"], "shop"))),
    path("seller/", include((AREAS["seller"], "seller"))),
    path("creator/", include((AREAS["creator"], "creator"))),
    path("r/<str:code>", redirect_view, name="redirect"),
    path("r/<str:code>/<str:tag>", redirect_view, name="content_redirect"),
    path("welcome/", views.home_for_role, name="home_for_role"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include("api.urls")),
    path("settings/api/", api_pages.ApiSettingsView.as_view(), name="api_settings"),
    path("settings/api/tokens/<int:pk>/revoke/", api_pages.TokenRevokeView.as_view(), name="api_token_revoke"),
    path("settings/api/webhooks/<int:pk>/", api_pages.EndpointView.as_view(), name="api_endpoint"),
    path(settings.ADMIN_URL, admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if settings.BENCH_ENDPOINTS:
    urlpatterns += [path("bench/bare", views.bench_bare_redirect)]
