"""Admin actions that call a service per selected row, optionally asking for a reason first.

Every app's admin builds its actions with `service_action`, so staff always get the
same behaviour: a reason page where the service needs one, one message saying how many
rows changed, and one message per row the service refused (with its reason).
"""

from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse

from .forms import ReasonForm
from .models import AuditEntry


class NoAddMixin:
    """For rows that people make through services (shops, products, orders, invitations...),
    which apply the rules and tell whoever needs to know. Staff change such rows with
    actions; an "Add" button would make a raw row that skips all of that."""

    def has_add_permission(self, request, obj=None):
        return False


class AuditInline(NoAddMixin, GenericTabularInline):
    """An object's audit trail on its admin page: every status move, money change and
    note, who and why. Read only: entries are written by common.transitions."""

    model = AuditEntry
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "amount_change", "reason", "by"]
    readonly_fields = fields
    verbose_name_plural = "History: status, money and notes"

    def has_change_permission(self, request, obj=None):
        return False


def service_action(*, service, description: str, ask_reason: bool = False, permission: str | None = None,
                   **service_kwargs):
    """Wrap `service(<model name>=obj, by=request.user[, reason=...])` as a bulk admin action."""

    def action(modeladmin, request, queryset):
        reason = ""
        if ask_reason:
            form = ReasonForm(request.POST if "apply" in request.POST else None)
            if not form.is_valid():
                return TemplateResponse(request, "admin/action_reason.html", {
                    **modeladmin.admin_site.each_context(request),
                    "title": description, "objects": queryset, "action": request.POST["action"],
                    "opts": modeladmin.model._meta, "form": form,
                })
            reason = form.cleaned_data["reason"]
        changed, refused = 0, []
        key = modeladmin.model._meta.model_name
        for obj in queryset:
            kwargs = {key: obj, "by": request.user, **service_kwargs}
            if ask_reason:
                kwargs["reason"] = reason
            try:
                service(**kwargs)
                changed += 1
            except ValidationError as exc:
                refused.append(f"{obj}: {' '.join(exc.messages)}")
        modeladmin.message_user(request, f"{description}: {changed} changed.", messages.SUCCESS)
        for line in refused:
            modeladmin.message_user(request, line, messages.WARNING)
        return None

    action.__name__ = service.__name__
    decorated = admin.action(description=description, permissions=[permission] if permission else None)
    return decorated(action)
