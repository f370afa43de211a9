from django.contrib import admin
from django.db import models

from common.admin import NoAddMixin

from .models import Click, Conversion, DailyLinkStats, Link, ProductAffiliateDaily, ShopAffiliateDaily


class ReadOnlyAdmin(NoAddMixin, admin.ModelAdmin):
    """Tracking rows are facts: staff look, filter and search; nobody edits them."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Link)
class LinkAdmin(ReadOnlyAdmin):
    list_display = ["code", "creator", "product", "created_at"]
    list_select_related = ["creator", "product"]
    search_fields = ["code", "creator__handle", "product__title"]
    date_hierarchy = "created_at"
    raw_id_fields = ["creator", "product"]


class FlaggedFilter(admin.SimpleListFilter):
    title = "flagged"
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("yes", "Any flag (bot, prefetch, burst)")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(models.Q(is_bot=True) | models.Q(is_prefetch=True) | models.Q(is_burst=True))
        return queryset


@admin.register(Click)
class ClickAdmin(ReadOnlyAdmin):
    list_display = ["at", "link", "ip_hash", "is_bot", "is_prefetch", "is_duplicate", "is_burst"]
    list_filter = [FlaggedFilter, "is_bot", "is_prefetch", "is_burst", "is_duplicate"]
    list_select_related = ["link__creator", "link__product"]
    search_fields = ["=ip_hash", "=link__code", "=visitor_id"]
    date_hierarchy = "at"
    show_full_result_count = False


@admin.register(Conversion)
class ConversionAdmin(ReadOnlyAdmin):
    list_display = ["order", "outcome", "via", "creator", "link", "code", "content", "click_at", "created_at"]
    list_filter = ["outcome", "via"]
    list_select_related = ["order", "creator", "link__creator", "link__product", "code", "content"]
    search_fields = ["order__number", "creator__handle", "link__code"]
    date_hierarchy = "created_at"


@admin.register(DailyLinkStats)
class DailyLinkStatsAdmin(ReadOnlyAdmin):
    list_display = ["day", "link", "creator", "product", "clicks", "unique_clicks", "flagged_clicks", "orders",
                    "gmv", "commission"]
    list_select_related = ["link__creator", "link__product", "creator", "product"]
    search_fields = ["=link__code", "creator__handle", "product__title"]
    date_hierarchy = "day"
    show_full_result_count = False


@admin.register(ShopAffiliateDaily)
class ShopAffiliateDailyAdmin(ReadOnlyAdmin):
    list_display = ["day", "shop", "clicks", "unique_clicks", "flagged_clicks", "orders", "gmv", "commission"]
    list_select_related = ["shop"]
    search_fields = ["shop__name"]
    date_hierarchy = "day"


@admin.register(ProductAffiliateDaily)
class ProductAffiliateDailyAdmin(ReadOnlyAdmin):
    list_display = ["day", "product", "shop", "clicks", "unique_clicks", "orders", "gmv", "commission"]
    list_select_related = ["product", "shop"]
    search_fields = ["product__title", "shop__name"]
    date_hierarchy = "day"
    show_full_result_count = False
