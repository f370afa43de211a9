from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from common.admin import AuditInline, NoAddMixin, service_action

from . import services
from .models import (
    AffiliateProgram,
    Application,
    Collaboration,
    CollaborationProduct,
    Content,
    Creator,
    CreatorCode,
    Invitation,
    InvitationProduct,
    OpenProduct,
    RateChange,
    SampleRequest,
    ShowcaseItem,
)


@admin.register(Creator)
class CreatorAdmin(NoAddMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "display_name", "status", "followers", "engagement_rate", "audience_top_country",
                    "created_at"]
    list_filter = ["status", "niches", "audience_top_country", "audience_top_age"]
    search_fields = ["handle", "display_name", "user__email"]
    date_hierarchy = "created_at"
    raw_id_fields = ["user"]
    filter_horizontal = ["niches"]
    readonly_fields = ["status", "status_reason", "approved_at", "created_at", "updated_at"]
    exclude = ["payout_account"]
    inlines = [AuditInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = [
        service_action(service=services.creator_approve, description="Approve selected creators", permission="change"),
        service_action(service=services.creator_reject, description="Reject selected creators", ask_reason=True,
                       permission="change"),
        service_action(service=services.creator_suspend, description="Suspend selected creators", ask_reason=True,
                       permission="change"),
        service_action(service=services.creator_reinstate, description="Reinstate selected creators",
                       permission="change"),
    ]


class OpenProductInline(NoAddMixin, admin.TabularInline):
    model = OpenProduct
    extra = 0
    raw_id_fields = ["product"]
    readonly_fields = ["product", "rate", "opened_at"]


class RateChangeInline(NoAddMixin, admin.TabularInline):
    model = RateChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "product", "old_rate", "new_rate", "changed_by"]
    readonly_fields = fields


@admin.register(AffiliateProgram)
class AffiliateProgramAdmin(NoAddMixin, SimpleHistoryAdmin):
    list_display = ["shop", "status", "default_rate", "attribution_window_days", "hold_days", "requires_approval",
                    "joined_at"]
    list_filter = ["status", "requires_approval", "all_products_open"]
    list_select_related = ["shop"]
    search_fields = ["shop__name", "shop__slug"]
    date_hierarchy = "joined_at"
    raw_id_fields = ["shop"]
    readonly_fields = ["shop", "status", "default_rate", "joined_at", "left_at"]
    inlines = [OpenProductInline, RateChangeInline, AuditInline]


class CollaborationProductInline(NoAddMixin, admin.TabularInline):
    model = CollaborationProduct
    extra = 0
    raw_id_fields = ["product"]
    readonly_fields = ["product", "rate"]


@admin.register(Collaboration)
class CollaborationAdmin(NoAddMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "status", "all_products_rate", "started_at", "ends_on", "ended_at"]
    list_filter = ["status"]
    list_select_related = ["creator", "program__shop"]
    search_fields = ["creator__handle", "program__shop__name"]
    date_hierarchy = "started_at"
    raw_id_fields = ["program", "creator"]
    readonly_fields = ["program", "creator", "status", "all_products_rate", "started_at", "ended_at"]
    inlines = [CollaborationProductInline, AuditInline]
    actions = [service_action(service=services.collaboration_end, description="End selected collaborations",
                              permission="change")]


class InvitationProductInline(NoAddMixin, admin.TabularInline):
    model = InvitationProduct
    extra = 0
    raw_id_fields = ["product"]
    readonly_fields = ["product", "rate"]


@admin.register(Invitation)
class InvitationAdmin(NoAddMixin, admin.ModelAdmin):
    list_display = ["__str__", "status", "all_products_rate", "created_at", "expires_at"]
    list_filter = ["status"]
    list_select_related = ["creator", "program__shop"]
    search_fields = ["creator__handle", "program__shop__name"]
    date_hierarchy = "created_at"
    raw_id_fields = ["program", "creator", "collaboration"]
    readonly_fields = ["status", "created_at", "expires_at", "answered_at"]
    inlines = [InvitationProductInline, AuditInline]


@admin.register(Application)
class ApplicationAdmin(NoAddMixin, admin.ModelAdmin):
    list_display = ["__str__", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["creator", "program__shop", "product"]
    search_fields = ["creator__handle", "program__shop__name", "product__title"]
    date_hierarchy = "created_at"
    raw_id_fields = ["program", "creator", "product"]
    readonly_fields = ["status", "created_at", "decided_at"]
    inlines = [AuditInline]


@admin.register(SampleRequest)
class SampleRequestAdmin(NoAddMixin, admin.ModelAdmin):
    list_display = ["__str__", "status", "requested_at", "answer_by", "content_due"]
    list_filter = ["status"]
    list_select_related = ["creator", "product"]
    search_fields = ["creator__handle", "product__title", "tracking_number"]
    date_hierarchy = "requested_at"
    raw_id_fields = ["program", "creator", "product"]
    readonly_fields = ["status", "requested_at", "answer_by", "shipped_at", "delivered_at", "content_due",
                       "fulfilled_at"]
    inlines = [AuditInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(ShowcaseItem)
class ShowcaseItemAdmin(NoAddMixin, admin.ModelAdmin):
    list_display = ["creator", "product", "position", "added_at"]
    list_select_related = ["creator", "product"]
    search_fields = ["creator__handle", "product__title"]
    raw_id_fields = ["creator", "product"]


@admin.register(CreatorCode)
class CreatorCodeAdmin(NoAddMixin, admin.ModelAdmin):
    """Support can switch a leaked code off here; sellers set the terms in their centre."""

    list_display = ["code", "creator", "program", "discount_kind", "discount_value", "uses", "usage_limit",
                    "is_active", "ends_on"]
    list_filter = ["is_active", "discount_kind"]
    list_select_related = ["creator", "program__shop"]
    search_fields = ["=code", "creator__handle", "program__shop__name"]
    raw_id_fields = ["program", "creator"]
    readonly_fields = ["program", "creator", "code", "uses", "created_at"]


@admin.register(Content)
class ContentAdmin(NoAddMixin, admin.ModelAdmin):
    list_display = ["title", "creator", "platform", "url", "created_at"]
    list_filter = ["platform"]
    list_select_related = ["creator"]
    search_fields = ["title", "creator__handle", "url"]
    date_hierarchy = "created_at"
    raw_id_fields = ["creator", "products"]
