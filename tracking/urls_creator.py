from django.urls import path

from . import views

app_name = "tracking_creator"

urlpatterns = [
    path("", views.CreatorLinksView.as_view(), name="links"),
    path("new/<int:product_pk>/", views.LinkCreateView.as_view(), name="link_create"),
]
