from django.conf import settings
from django.utils.functional import SimpleLazyObject

from affiliates.selectors import creator_for_user
from shops.cart import Cart
from shops.selectors import shop_for_user


def site(request):
    """The product's name, and the signed-in person's roles for navigation (read only when used).

    A seller or creator page has already found its role's profile (request.shop,
    request.creator); the navigation reuses it instead of asking again.
    """
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "nav_shop": SimpleLazyObject(
            lambda: getattr(request, "shop", None) or (shop_for_user(user=user) if user else None)),
        "nav_creator": SimpleLazyObject(
            lambda: getattr(request, "creator", None) or (creator_for_user(user=user) if user else None)),
        # django-htmx's {% htmx_script %} looks for the CSP nonce under this name.
        "cart_count": SimpleLazyObject(lambda: len(Cart(request.session)) if hasattr(request, "session") else 0),
        "csp_nonce": getattr(request, "csp_nonce", None),
    }
