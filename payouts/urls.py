"""Payouts' routes: the creator's earnings and statements, the seller's statement and
affiliate orders (mounted in config/urls.py, one namespace per area)."""

from django.urls import path

from .views import creator, seller

seller_urls = [
    path("affiliates/statements/", seller.SellerStatementView.as_view(), name="statement"),
    path("affiliates/orders/", seller.AffiliateOrdersView.as_view(), name="affiliate_orders"),
]

creator_urls = [
    path("earnings/", creator.EarningsView.as_view(), name="earnings"),
    path("earnings/early-payout/", creator.EarlyPayoutView.as_view(), name="early_payout"),
    path("earnings/payouts/<int:pk>/statement.csv", creator.PayoutStatementView.as_view(), name="payout_statement"),
    path("earnings/statements/<str:month>/<str:currency>/", creator.CreatorStatementView.as_view(), name="statement"),
]
