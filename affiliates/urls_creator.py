from django.urls import path

from . import views_creator

app_name = "creator"

urlpatterns = [
    path("", views_creator.CreatorHomeView.as_view(), name="home"),
    path("join/", views_creator.CreatorJoinView.as_view(), name="join"),
]
