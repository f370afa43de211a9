"""The creator role's view mixin, and the seller's for pages that need the affiliate program."""

from django.contrib import messages
from django.shortcuts import redirect

from common.views import RoleRequiredMixin
from shops.mixins import SellerRequiredMixin

from . import selectors


class CreatorRequiredMixin(RoleRequiredMixin):
    """Creator area: `request.creator` is the signed-in person's creator profile."""

    request_attribute = "creator"
    add_role_template = "affiliates/creator/add_role.html"

    def get_role_profile(self, request):
        return selectors.creator_for_user(user=request.user)


class ProgramRequiredMixin(SellerRequiredMixin):
    """Pages that need the shop to be in the affiliate program: `request.program`."""

    def check_access(self, request):
        program = selectors.program_for_shop(shop=request.shop)
        if program is None or not program.is_active:
            messages.info(request, "Join the affiliate program first.")
            return redirect("seller:program")
        request.program = program
        return None
