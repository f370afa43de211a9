"""The creator area, /creator/. Every view scopes its queries to request.creator."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from . import services
from .mixins import CreatorRequiredMixin


class CreatorHomeView(CreatorRequiredMixin, TemplateView):
    template_name = "affiliates/creator/home.html"


class CreatorJoinView(LoginRequiredMixin, View):
    """Add the creator role to a signed-in person (pending staff approval)."""

    def post(self, request):
        services.creator_register(user=request.user)
        messages.success(request, "You are now a creator. Complete your profile so staff can approve it.")
        return redirect("creator:home")
