from django.urls import path

from . import views_creator as views

app_name = "creator"

urlpatterns = [
    path("join/", views.CreatorJoinView.as_view(), name="join"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("marketplace/", views.MarketplaceView.as_view(), name="marketplace"),
    path("marketplace/<int:pk>/", views.MarketplaceProductView.as_view(), name="marketplace_product"),
    path("marketplace/<int:pk>/apply/", views.ApplyView.as_view(), name="apply"),
    path("marketplace/<int:pk>/sample/", views.SampleRequestView.as_view(), name="sample_request"),
    path("marketplace/<int:pk>/showcase/", views.ShowcaseAddView.as_view(), name="showcase_add"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("inbox/invitations/<int:pk>/<slug:answer>/", views.InvitationAnswerView.as_view(), name="invitation_answer"),
    path("inbox/applications/<int:pk>/withdraw/", views.ApplicationWithdrawView.as_view(), name="application_withdraw"),
    path("inbox/samples/<int:pk>/<slug:action>/", views.SampleUpdateView.as_view(), name="sample_update"),
    path("showcase/", views.ShowcaseManageView.as_view(), name="showcase"),
    path("showcase/<int:pk>/<slug:action>/", views.ShowcaseItemView.as_view(), name="showcase_item"),
]
