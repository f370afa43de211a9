"""The ops console's review queues, for the admin index."""

from datetime import timedelta

from django import template
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from affiliates.models import Creator
from payouts import dashboards
from payouts.models import EarlyPayoutRequest, PayoutRun
from shops.models import Product, Shop
from tracking.models import Click

register = template.Library()


@register.inclusion_tag("admin/partials/review_queues.html", takes_context=True)
def review_queues(context):
    """Each queue the signed-in staff member may see, with how many items wait in it."""
    user = context["request"].user
    week_ago = timezone.now() - timedelta(days=7)
    queues = [
        ("shops.view_product", "Products in review (oldest first)",
         reverse("admin:shops_product_changelist") + "?status__exact=in_review&o=7",
         lambda: Product.objects.filter(status=Product.Status.IN_REVIEW).count()),
        ("shops.view_shop", "Shops waiting for approval",
         reverse("admin:shops_shop_changelist") + "?status__exact=pending",
         lambda: Shop.objects.filter(status=Shop.Status.PENDING).count()),
        ("affiliates.view_creator", "Creators waiting for approval",
         reverse("admin:affiliates_creator_changelist") + "?status__exact=pending",
         lambda: Creator.objects.filter(status=Creator.Status.PENDING).count()),
        ("tracking.view_click", "Flagged clicks, last 7 days (bots, prefetch, bursts)",
         reverse("admin:tracking_click_changelist") + "?flagged=yes",
         lambda: Click.objects.filter(Q(is_bot=True) | Q(is_prefetch=True) | Q(is_burst=True),
                                      at__gte=week_ago).count()),
        ("payouts.view_earlypayoutrequest", "Early payout requests",
         reverse("admin:payouts_earlypayoutrequest_changelist") + "?status__exact=requested",
         lambda: EarlyPayoutRequest.objects.filter(status=EarlyPayoutRequest.Status.REQUESTED).count()),
        ("payouts.view_payoutrun", "Payout runs to review or pay", reverse("admin:payouts_payoutrun_changelist"),
         lambda: PayoutRun.objects.filter(status__in=[PayoutRun.Status.READY, PayoutRun.Status.APPROVED]).count()),
    ]
    return {"queues": [(label, url, count()) for perm, label, url, count in queues if user.has_perm(perm)]}


@register.inclusion_tag("admin/partials/platform_figures.html", takes_context=True)
def platform_figures(context):
    """The last 30 days of the platform, for staff who may see orders."""
    user = context["request"].user
    return {"figures": dashboards.platform_figures() if user.has_perm("shops.view_order") else []}
