"""The affiliate program's routes: `seller_urls` under /seller/, `creator_urls` under
/creator/ (mounted in config/urls.py, one namespace per area)."""

from django.urls import path

from .views import creator, seller

seller_urls = [
    path("affiliates/", seller.ProgramView.as_view(), name="program"),
    path("affiliates/leave/", seller.ProgramLeaveView.as_view(), name="leave"),
    path("affiliates/open/", seller.OpenProductsView.as_view(), name="open_products"),
    path("affiliates/invite/", seller.InviteView.as_view(), name="invite"),
    path("affiliates/invitations/", seller.InvitationListView.as_view(), name="invitations"),
    path("affiliates/invitations/<int:pk>/withdraw/", seller.InvitationWithdrawView.as_view(),
         name="invitation_withdraw"),
    path("affiliates/collaborations/<int:pk>/end/", seller.CollaborationEndView.as_view(), name="collaboration_end"),
    path("affiliates/applications/", seller.ApplicationListView.as_view(), name="applications"),
    path("affiliates/applications/<int:pk>/<slug:decision>/", seller.ApplicationDecideView.as_view(),
         name="application_decide"),
    path("affiliates/samples/", seller.SampleListView.as_view(), name="samples"),
    path("affiliates/samples/<int:pk>/<slug:action>/", seller.SampleActionView.as_view(), name="sample_action"),
]

creator_urls = [
    path("join/", creator.CreatorJoinView.as_view(), name="join"),
    path("profile/", creator.ProfileView.as_view(), name="profile"),
    path("marketplace/", creator.MarketplaceView.as_view(), name="marketplace"),
    path("marketplace/<int:pk>/apply/", creator.ApplyView.as_view(), name="apply"),
    path("marketplace/<int:pk>/sample/", creator.SampleRequestView.as_view(), name="sample_request"),
    path("marketplace/<int:pk>/showcase/", creator.ShowcaseAddView.as_view(), name="showcase_add"),
    path("inbox/", creator.InboxView.as_view(), name="inbox"),
    path("inbox/invitations/<int:pk>/<slug:answer>/", creator.InvitationAnswerView.as_view(), name="invitation_answer"),
    path("inbox/applications/<int:pk>/withdraw/", creator.ApplicationWithdrawView.as_view(),
         name="application_withdraw"),
    path("inbox/samples/<int:pk>/<slug:action>/", creator.SampleUpdateView.as_view(), name="sample_update"),
    path("showcase/", creator.ShowcaseManageView.as_view(), name="showcase"),
    path("showcase/<int:pk>/<slug:action>/", creator.ShowcaseItemView.as_view(), name="showcase_item"),
]
