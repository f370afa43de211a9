from common.views import RoleRequiredMixin

from . import selectors


class CreatorRequiredMixin(RoleRequiredMixin):
    """Creator area: `request.creator` is the signed-in person's creator profile."""

    request_attribute = "creator"
    add_role_template = "affiliates/creator/add_role.html"

    def get_role_profile(self, request):
        return selectors.creator_for_user(user=request.user)
