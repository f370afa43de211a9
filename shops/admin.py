from django.contrib import admin
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from common.admin import AuditInline, NoAddMixin, service_action

from . import services
from .models import (
    Category,
    Order,
    OrderLine,
    Product,
    ProductImage,
    Refund,
    RefundLine,
    Shop,
    ShopDailyStats,
    ShopMembership,
)


class MembershipInline(admin.TabularInline):
    model = ShopMembership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Shop)
class ShopAdmin(NoAddMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "slug", "status", "country", "currency", "submitted_at", "created_at"]
    list_filter = ["status", "country", "currency"]
    search_fields = ["name", "slug", "legal_name", "contact_email", "memberships__user__email"]
    date_hierarchy = "created_at"
    readonly_fields = ["status", "status_reason", "submitted_at", "reviewed_at", "created_at", "updated_at"]
    inlines = [MembershipInline, AuditInline]
    actions = [
        service_action(service=services.shop_approve, description="Approve selected shops", permission="change"),
        service_action(service=services.shop_reject, description="Reject selected shops", ask_reason=True,
                       permission="change"),
        service_action(service=services.shop_suspend, description="Suspend selected shops", ask_reason=True,
                       permission="change"),
        service_action(service=services.shop_reinstate, description="Reinstate selected shops", permission="change"),
    ]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ProductImageInline(NoAddMixin, admin.TabularInline):
    model = ProductImage
    extra = 0
    fields = ["preview", "position", "width", "height"]
    readonly_fields = ["preview", "width", "height"]

    @admin.display(description="Picture")
    def preview(self, obj):
        return format_html('<img src="{}" width="96" height="96" alt="">', obj.thumbnail.url) if obj.pk else ""


@admin.register(Product)
class ProductAdmin(NoAddMixin, SimpleHistoryAdmin):
    list_display = ["title", "shop", "category", "status", "price", "stock", "submitted_at"]
    list_filter = ["status", "kind", "category", "shop__currency"]
    list_select_related = ["shop", "category"]
    search_fields = ["title", "shop__name", "shop__slug"]
    date_hierarchy = "created_at"
    raw_id_fields = ["shop"]
    readonly_fields = ["status", "status_reason", "price", "units_sold", "submitted_at", "published_at",
                       "created_at", "updated_at"]
    inlines = [ProductImageInline, AuditInline]
    actions = [
        service_action(service=services.product_approve, description="Approve selected products", permission="change"),
        service_action(service=services.product_reject, description="Reject selected products", ask_reason=True,
                       permission="change"),
    ]


class OrderLineInline(NoAddMixin, admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    fields = ["product", "title", "unit_price", "quantity", "discount", "net_amount", "tax",
              "refunded_quantity", "refunded_amount"]
    readonly_fields = fields


class RefundInline(NoAddMixin, admin.TabularInline):
    model = Refund
    extra = 0
    can_delete = False
    fields = ["created_at", "amount", "status", "reason", "reference", "failure_reason", "created_by"]
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(NoAddMixin, admin.ModelAdmin):
    list_display = ["number", "shop", "status", "under_review", "email", "total", "currency", "refunded_total",
                    "placed_at"]
    list_filter = ["status", "under_review", "currency"]
    actions = [
        service_action(service=services.order_hold_for_review, description="Hold selected orders for fraud review",
                       ask_reason=True, permission="change"),
        service_action(service=services.order_release_review, description="Release selected orders from review",
                       ask_reason=True, permission="change"),
    ]
    list_select_related = ["shop"]
    search_fields = ["number", "email", "name", "shop__name"]
    date_hierarchy = "placed_at"
    raw_id_fields = ["shop", "buyer"]
    inlines = [OrderLineInline, RefundInline, AuditInline]
    readonly_fields = [
        "shop", "number", "token", "checkout_key", "status", "buyer", "currency", "subtotal", "discount",
        "shipping", "tax", "total", "refunded_total", "payment_reference", "placed_at", "paid_at", "shipped_at",
        "delivered_at", "cancelled_at", "under_review",
    ]

    def has_delete_permission(self, request, obj=None):
        return False


class RefundLineInline(NoAddMixin, admin.TabularInline):
    model = RefundLine
    extra = 0
    can_delete = False
    fields = ["line", "quantity", "net_amount", "tax"]
    readonly_fields = fields


@admin.register(Refund)
class RefundAdmin(NoAddMixin, admin.ModelAdmin):
    """Refunds are made from the seller's order page; here staff look them up."""

    list_display = ["order", "amount", "status", "reason", "created_by", "created_at", "completed_at"]
    list_filter = ["status", "cancels_order"]
    list_select_related = ["order", "created_by"]
    search_fields = ["order__number", "reason"]
    date_hierarchy = "created_at"
    inlines = [RefundLineInline, AuditInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ShopDailyStats)
class ShopDailyStatsAdmin(NoAddMixin, admin.ModelAdmin):
    list_display = ["day", "shop", "orders", "gmv"]
    list_select_related = ["shop"]
    search_fields = ["shop__name"]
    date_hierarchy = "day"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
