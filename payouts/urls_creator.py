from django.urls import path

from . import views

app_name = "payouts_creator"

urlpatterns = [
    path("", views.EarningsView.as_view(), name="earnings"),
    path("early-payout/", views.EarlyPayoutView.as_view(), name="early_payout"),
    path("payouts/<int:pk>/statement.csv", views.PayoutStatementView.as_view(), name="statement"),
    path("statements/<str:month>/<str:currency>/", views.CreatorStatementView.as_view(), name="creator_statement"),
]
