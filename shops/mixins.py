"""The seller role's view mixin: every seller view scopes its queries to request.shop."""

from common.views import RoleRequiredMixin

from . import selectors


class SellerRequiredMixin(RoleRequiredMixin):
    """Seller area: `request.shop` is the signed-in seller's shop."""

    request_attribute = "shop"
    add_role_template = "shops/seller/add_role.html"

    def get_role_profile(self, request):
        return selectors.shop_for_user(user=request.user)
