"""The person's API page: tokens (made, shown once, revoked) and webhook endpoints with
their delivery log. Everything here is the signed-in person's own; anyone else's is a 404."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from affiliates.selectors import creator_for_user
from shops.selectors import shop_for_user

from .. import services
from ..forms import EndpointForm, TokenForm
from ..models import ApiToken, WebhookEndpoint

SHOWN_ONCE = "api_token_shown_once"


def _areas(user) -> list[str]:
    return [area for area, has in (("seller", shop_for_user(user=user)), ("creator", creator_for_user(user=user)))
            if has is not None]


class ApiSettingsView(LoginRequiredMixin, View):
    template_name = "api/settings.html"

    def page(self, request, token_form=None, endpoint_form=None, status=200):
        areas = _areas(request.user)
        return render(request, self.template_name, {
            "areas": areas,
            "tokens": ApiToken.objects.filter(user=request.user),
            "endpoints": WebhookEndpoint.objects.filter(user=request.user),
            "token_form": token_form or TokenForm(),
            "endpoint_form": endpoint_form or EndpointForm(areas=areas),
            "new_token": request.session.pop(SHOWN_ONCE, None),
        }, status=status)

    def get(self, request):
        if not _areas(request.user):
            messages.info(request, "The API is for sellers and creators: open a shop or join as a creator first.")
            return redirect("home_for_role")
        return self.page(request)

    def post(self, request):
        areas = _areas(request.user)
        if not areas:
            return redirect("home_for_role")
        if request.POST.get("form") == "endpoint":
            form = EndpointForm(request.POST, areas=areas)
            if form.is_valid():
                try:
                    services.endpoint_create(user=request.user, **form.cleaned_data)
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(request, "Endpoint added. Verify our signature with its secret (see the docs).")
                    return redirect("api_settings")
            return self.page(request, endpoint_form=form, status=400)
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                _, raw = services.token_create(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                request.session[SHOWN_ONCE] = raw  # shown on the next page only
                return redirect("api_settings")
        return self.page(request, token_form=form, status=400)


class TokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        services.token_revoke(token=token)
        messages.success(request, f"Revoked “{token.name}”: it no longer works.")
        return redirect("api_settings")


class EndpointView(LoginRequiredMixin, View):
    """One endpoint: its secret, its latest deliveries; switch it on again, delete it, or
    deliver an event again."""

    def get(self, request, pk):
        endpoint = get_object_or_404(WebhookEndpoint, pk=pk, user=request.user)
        return render(request, "api/endpoint.html", {"endpoint": endpoint,
                                                     "deliveries": endpoint.deliveries.all()[:100]})

    def post(self, request, pk):
        endpoint = get_object_or_404(WebhookEndpoint, pk=pk, user=request.user)
        action = request.POST.get("action")
        if action == "enable":
            services.endpoint_enable(endpoint=endpoint)
            messages.success(request, "Switched on again.")
        elif action == "delete":
            services.endpoint_delete(endpoint=endpoint)
            messages.success(request, "Endpoint deleted.")
            return redirect("api_settings")
        elif action == "redeliver":
            delivery = get_object_or_404(endpoint.deliveries, pk=request.POST.get("delivery") or 0)
            services.delivery_redeliver(delivery=delivery)
            messages.success(request, f"Sending {delivery.event} again.")
        return redirect("api_endpoint", pk=endpoint.pk)
