from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from simple_history.admin import SimpleHistoryAdmin

from common.admin import AuditInline, NoAddMixin, service_action
from common.exports import csv_response
from common.money import CURRENCIES

from . import exports, services
from .models import Commission, EarlyPayoutRequest, LedgerEntry, Payout, PayoutRun


def _reverse(*, commission, by, reason):
    return services.commission_reverse(commission=commission, by=by, reason=reason)


_reverse.__name__ = "commission_reverse"


@admin.register(Commission)
class CommissionAdmin(NoAddMixin, SimpleHistoryAdmin):
    list_display = ["pk", "creator", "order", "shop", "status", "amount", "clawed_back", "currency", "rate",
                    "hold_until", "created_at"]
    list_filter = ["status", "currency", "rate_source"]
    list_select_related = ["creator", "order", "shop"]
    search_fields = ["order__number", "creator__handle", "shop__name"]
    date_hierarchy = "created_at"
    raw_id_fields = ["order_line", "order", "shop", "creator", "link"]
    inlines = [AuditInline]
    actions = [service_action(service=_reverse, description="Reverse selected commissions", ask_reason=True,
                              permission="reverse")]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_delete_permission(self, request, obj=None):
        return False

    def has_reverse_permission(self, request):
        return request.user.has_perm("payouts.change_commission")


class AdjustmentForm(forms.ModelForm):
    class Meta:
        model = LedgerEntry
        fields = ["creator", "currency", "amount", "note"]
        labels = {"note": "Reason"}


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    """The ledger: read only, except that finance adds adjustments (a new entry with a reason)."""

    list_display = ["created_at", "creator", "kind", "amount", "currency", "commission", "payout", "note"]
    list_filter = ["kind", "currency"]
    list_select_related = ["creator", "commission__creator", "commission__order", "payout__creator"]
    search_fields = ["creator__handle", "note", "=commission__id"]
    date_hierarchy = "created_at"
    raw_id_fields = ["creator", "commission", "payout"]
    form = AdjustmentForm

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields] if obj else []

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            entry = services.ledger_adjust(creator=obj.creator, currency=obj.currency, amount=obj.amount,
                                           reason=obj.note, by=request.user)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            raise
        obj.pk = entry.pk


class PayoutInline(NoAddMixin, admin.TabularInline):
    model = Payout
    extra = 0
    can_delete = False
    fields = ["creator", "currency", "amount", "status", "reference"]
    readonly_fields = fields
    show_change_link = True


def _approve_run(*, payoutrun, by):
    return services.payout_run_approve(run=payoutrun, by=by)


_approve_run.__name__ = "payout_run_approve"


class StartRunForm(forms.ModelForm):
    class Meta:
        model = PayoutRun
        fields = ["period"]
        help_texts = {"period": "Any day of the month to pay for; it must be over."}
        widgets = {"period": forms.DateInput(attrs={"type": "date"})}


@admin.register(PayoutRun)
class PayoutRunAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "status", "progress", "total", "started_at", "approved_by", "export_link"]
    list_filter = ["status"]
    list_select_related = ["approved_by"]
    date_hierarchy = "period"
    inlines = [PayoutInline, AuditInline]
    form = StartRunForm
    actions = [service_action(service=_approve_run, description="Approve selected runs", permission="approve")]

    def get_readonly_fields(self, request, obj=None):
        return ([f.name for f in self.model._meta.fields] + ["progress", "export_link"]) if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    def has_approve_permission(self, request):
        return request.user.has_perm("payouts.change_payoutrun")

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def save_model(self, request, obj, form, change):
        run, created = services.payout_run_start(period=obj.period, by=request.user)
        obj.pk = run.pk
        if not created:
            self.message_user(request, f"The run for {run.period:%Y-%m} already exists.", messages.WARNING)

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return redirect("admin:payouts_payoutrun_add")

    @admin.display(description="Export for payment")
    def export_link(self, obj):
        if obj.status != PayoutRun.Status.APPROVED:
            return "—"
        url = reverse("admin:payouts_payoutrun_export", args=[obj.pk])
        links = format_html_join(" · ", '<a href="{}?{}">{}</a>', [
            (url, urlencode({"method": file.method, "currency": file.currency}), file.label)
            for file in exports.export_files(run=obj)])
        missing = exports.missing_details(run=obj).count()
        if missing:
            links = format_html('{} <strong class="text-danger">· {} payout(s) without payout details: the creators '
                                'must add them</strong>', links, missing)
        return links or "nothing left to pay"

    def get_urls(self):
        return [path("<int:pk>/export/", self.admin_site.admin_view(self.export_view),
                     name="payouts_payoutrun_export"), *super().get_urls()]

    def export_view(self, request, pk):
        """One file of an approved run: PayPal's bulk format per currency, or bank transfers."""
        if not self.has_approve_permission(request):
            raise PermissionDenied
        run = get_object_or_404(PayoutRun, pk=pk, status=PayoutRun.Status.APPROVED)
        method, currency = request.GET.get("method"), request.GET.get("currency", "")
        if method == exports.PAYPAL and currency in CURRENCIES:
            return csv_response(f"paypal-payouts-{run.period:%Y-%m}-{currency}.csv",
                                exports.paypal_rows(run=run, currency=currency))
        if method == exports.BANK:
            return csv_response(f"bank-payouts-{run.period:%Y-%m}.csv", exports.bank_rows(run=run))
        raise Http404("Choose PayPal with a currency, or bank transfers.")


def _paid(*, payout, by, reason):
    return services.payouts_mark_paid(payouts=[payout], by=by, reference=reason)


_paid.__name__ = "payouts_mark_paid"


def _failed(*, payout, by, reason):
    return services.payout_mark_failed(payout=payout, by=by, reason=reason)


_failed.__name__ = "payout_mark_failed"


@admin.register(Payout)
class PayoutAdmin(NoAddMixin, SimpleHistoryAdmin):
    list_display = ["pk", "creator", "kind", "period", "amount", "currency", "status", "reference", "paid_at"]
    list_filter = ["status", "kind", "currency", "period"]
    list_select_related = ["creator", "run"]
    search_fields = ["creator__handle", "reference"]
    date_hierarchy = "created_at"
    raw_id_fields = ["run", "creator"]
    inlines = [AuditInline]
    actions = [
        service_action(service=_paid, description="Mark selected payouts paid (reference as reason)",
                       ask_reason=True, permission="pay"),
        service_action(service=_failed, description="Mark selected payouts failed", ask_reason=True,
                       permission="pay"),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_delete_permission(self, request, obj=None):
        return False

    def has_pay_permission(self, request):
        return request.user.has_perm("payouts.change_payout")


def _approve_early(*, earlypayoutrequest, by):
    return services.early_payout_approve(request=earlypayoutrequest, by=by)


_approve_early.__name__ = "early_payout_approve"


def _decline_early(*, earlypayoutrequest, by, reason):
    return services.early_payout_decline(request=earlypayoutrequest, by=by, reason=reason)


_decline_early.__name__ = "early_payout_decline"


@admin.register(EarlyPayoutRequest)
class EarlyPayoutRequestAdmin(NoAddMixin, admin.ModelAdmin):
    list_display = ["creator", "currency", "status", "requested_at", "decided_at", "payout"]
    list_filter = ["status", "currency"]
    list_select_related = ["creator", "payout__creator"]
    search_fields = ["creator__handle"]
    date_hierarchy = "requested_at"
    inlines = [AuditInline]
    actions = [
        service_action(service=_approve_early, description="Approve selected early payouts", permission="pay"),
        service_action(service=_decline_early, description="Decline selected early payouts", ask_reason=True,
                       permission="pay"),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_delete_permission(self, request, obj=None):
        return False

    def has_pay_permission(self, request):
        return request.user.has_perm("payouts.change_earlypayoutrequest")
