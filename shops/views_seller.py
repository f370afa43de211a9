"""The seller area, /seller/. Every view scopes its queries to request.shop."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from . import services
from .mixins import SellerRequiredMixin


class SellerHomeView(SellerRequiredMixin, TemplateView):
    template_name = "shops/seller/home.html"


class SellerJoinView(LoginRequiredMixin, View):
    """Add the seller role to a signed-in person (a draft shop they then complete)."""

    def post(self, request):
        services.seller_register(user=request.user)
        messages.success(request, "You are now a seller. Complete your shop's profile to open it.")
        return redirect("seller:home")
