"""The top floor's pages: the seller and creator homes, where a person lands after login,
and the health check."""

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from affiliates.mixins import CreatorRequiredMixin
from affiliates.selectors import creator_for_user
from payouts.selectors import latest_affiliate_orders
from shops.mixins import SellerRequiredMixin
from shops.selectors import shop_for_user
from tracking.periods import period_from

from . import dashboards


class SellerHomeView(SellerRequiredMixin, View):
    """/seller/: the shop's figures for the period, charts, top creators and products, to-dos."""

    def get(self, request):
        form, period = period_from(request)
        shop = request.shop
        data = dashboards.seller_dashboard(shop=shop, period=period)
        return render(request, "portal/seller_home.html", {
            **data, "top_products": dashboards.seller_top_products(shop=shop, period=period), "form": form,
            "period": period, "latest": latest_affiliate_orders(shop=shop),
        })


class CreatorHomeView(CreatorRequiredMixin, View):
    """/creator/: clicks, orders and earnings for the period, balances, what waits for an answer."""

    def get(self, request):
        form, period = period_from(request)
        data = dashboards.creator_dashboard(creator=request.creator, period=period)
        return render(request, "portal/creator_home.html", {**data, "form": form, "period": period})


@login_required
def home_for_role(request):
    """Where a person lands after login: their one area, or a chooser when they have both or none."""
    shop = shop_for_user(user=request.user)
    creator = creator_for_user(user=request.user)
    if shop and not creator:
        return redirect("seller:home")
    if creator and not shop:
        return redirect("creator:home")
    if not shop and not creator and request.user.is_staff:
        return redirect("admin:index")
    return render(request, "role_chooser.html", {"shop": shop, "creator": creator})


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "down"
    return "ok"


def _broker_status() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return "down"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """For load balancers and `make up`: 200 while the database answers, 503 when it does not."""
    database = _database_status()
    body = {"status": "ok" if database == "ok" else "down", "database": database, "broker": _broker_status()}
    return JsonResponse(body, status=200 if database == "ok" else 503)


def bench_bare_redirect(request):
    """The baseline of `make bench`: a plain Django view answering a 302 with a cookie,
    through the full middleware stack (only routed when BENCH_ENDPOINTS is on)."""
    response = HttpResponseRedirect("/")
    response.set_cookie("bare", "1", httponly=True, samesite="Lax")
    return response
