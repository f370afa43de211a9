"""/api/v1/: the schema, its docs, and the seller's and the creator's endpoints."""

from csp.decorators import csp_update
from django.urls import path
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from .views import creator, seller

app_name = "api"


@method_decorator(csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]}), name="dispatch")
class Docs(SpectacularRedocView):
    """The reference, rendered by Redoc (served from our static files): Redoc writes its
    styles inline, so this one page allows inline styles (it shows no user content)."""


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", Docs.as_view(url_name="api:schema"), name="docs"),
    path("seller/products/", seller.ProductList.as_view(), name="seller_products"),
    path("seller/products/<int:pk>/", seller.ProductDetail.as_view(), name="seller_product"),
    path("seller/orders/", seller.OrderList.as_view(), name="seller_orders"),
    path("seller/orders/<int:pk>/", seller.OrderDetail.as_view(), name="seller_order"),
    path("seller/affiliate-orders/", seller.AffiliateOrderList.as_view(), name="seller_affiliate_orders"),
    path("seller/performance/", seller.Performance.as_view(), name="seller_performance"),
    path("seller/statements/<str:month>/", seller.Statement.as_view(), name="seller_statement"),
    path("seller/collaborations/", seller.CollaborationList.as_view(), name="seller_collaborations"),
    path("seller/invitations/", seller.InvitationList.as_view(), name="seller_invitations"),
    path("creator/links/", creator.LinkList.as_view(), name="creator_links"),
    path("creator/performance/", creator.Performance.as_view(), name="creator_performance"),
    path("creator/commissions/", creator.CommissionList.as_view(), name="creator_commissions"),
    path("creator/balance/", creator.Balance.as_view(), name="creator_balance"),
    path("creator/payouts/", creator.PayoutList.as_view(), name="creator_payouts"),
]
