from django.conf import settings
from django.utils.functional import SimpleLazyObject

from affiliates.selectors import creator_for_user
from shops.selectors import shop_for_user


def site(request):
    """The product's name, and the signed-in person's roles for navigation (read only when used)."""
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "nav_shop": SimpleLazyObject(lambda: shop_for_user(user=user) if user else None),
        "nav_creator": SimpleLazyObject(lambda: creator_for_user(user=user) if user else None),
        # django-htmx's {% htmx_script %} looks for the CSP nonce under this name.
        "csp_nonce": getattr(request, "csp_nonce", None),
    }
