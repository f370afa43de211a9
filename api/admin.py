"""Tokens and webhooks in the ops console: to look, and to revoke a leaked token."""

from django.contrib import admin

from common.admin import NoAddMixin, service_action

from . import services
from .models import ApiToken, WebhookDelivery, WebhookEndpoint


class _ReadOnly(NoAddMixin, admin.ModelAdmin):
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _revoke(*, apitoken, by):
    return services.token_revoke(token=apitoken)


@admin.register(ApiToken)
class ApiTokenAdmin(_ReadOnly):
    list_display = ["name", "user", "prefix", "scope", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    list_select_related = ["user"]
    search_fields = ["=prefix", "user__email", "name"]
    exclude = ["key_hash"]
    actions = [service_action(service=_revoke, description="Revoke selected tokens", permission="revoke")]

    def has_revoke_permission(self, request):
        return request.user.is_superuser


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(_ReadOnly):
    list_display = ["url", "user", "area", "is_active", "consecutive_failures", "created_at"]
    list_filter = ["is_active", "area"]
    list_select_related = ["user"]
    search_fields = ["url", "user__email"]
    exclude = ["secret"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(_ReadOnly):
    list_display = ["event", "endpoint", "status", "attempts", "response_status", "created_at", "delivered_at"]
    list_filter = ["status", "event"]
    list_select_related = ["endpoint"]
    search_fields = ["=event_id", "endpoint__url"]
    date_hierarchy = "created_at"
