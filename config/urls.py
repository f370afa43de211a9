from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from affiliates import views_creator as affiliate_views

from . import views

urlpatterns = [
    path("", include("shops.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("welcome/", views.home_for_role, name="home_for_role"),
    path("accounts/", include("allauth.urls")),
    path("seller/affiliates/", include("affiliates.urls_seller")),
    path("seller/", include("shops.urls_seller")),
    path("creator/", include("affiliates.urls_creator")),
    path("@<str:handle>/", affiliate_views.showcase, name="showcase"),
    path(settings.ADMIN_URL, admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
