from django.urls import path

from . import views_seller as views

app_name = "affiliates_seller"

urlpatterns = [
    path("", views.ProgramView.as_view(), name="program"),
    path("leave/", views.ProgramLeaveView.as_view(), name="leave"),
    path("open/", views.OpenProductsView.as_view(), name="open_products"),
    path("creators/", views.CreatorDirectoryView.as_view(), name="creators"),
    path("creators/<slug:handle>/", views.CreatorDetailView.as_view(), name="creator_detail"),
    path("invite/", views.InviteView.as_view(), name="invite"),
    path("invitations/", views.InvitationListView.as_view(), name="invitations"),
    path("invitations/<int:pk>/withdraw/", views.InvitationWithdrawView.as_view(), name="invitation_withdraw"),
    path("collaborations/<int:pk>/end/", views.CollaborationEndView.as_view(), name="collaboration_end"),
    path("applications/", views.ApplicationListView.as_view(), name="applications"),
    path("applications/<int:pk>/<slug:decision>/", views.ApplicationDecideView.as_view(), name="application_decide"),
    path("samples/", views.SampleListView.as_view(), name="samples"),
    path("samples/<int:pk>/<slug:action>/", views.SampleActionView.as_view(), name="sample_action"),
]
