"""What every role area's views share: the role check, and how a service's refusal is told."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse


class RoleRequiredMixin(LoginRequiredMixin):
    """Anonymous visitors go to the login page; people without the role see an offer to add it.

    Subclasses say how to find the role's profile and where to keep it on the request,
    so every view below scopes its queries to that profile.
    """

    request_attribute: str
    add_role_template: str

    def get_role_profile(self, request):
        raise NotImplementedError

    def check_access(self, request):
        """After the role is known: return a response to stop here, or None to go on."""
        return None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        profile = self.get_role_profile(request)
        if profile is None:
            return TemplateResponse(request, self.add_role_template, status=403)
        setattr(request, self.request_attribute, profile)
        return self.check_access(request) or super().dispatch(request, *args, **kwargs)


def say_errors(request, exc: ValidationError) -> None:
    """Show a service's refusal to the person, one message per reason."""
    for message in exc.messages:
        messages.error(request, message)
