from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from affiliates.models import Creator
from common.models import audit_trail
from common.money import CURRENCY_CHOICES, format_money
from shops.models import Order, OrderLine, Shop
from tracking.models import Link

MONEY = {"max_digits": 12, "decimal_places": 2}


class Commission(models.Model):
    """What a creator earns on one attributed order line. One per line, by constraint."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending (in hold)"
        APPROVED = "approved", "Approved"
        PAID = "paid", "Paid"
        REVERSED = "reversed", "Reversed"
        FROZEN = "frozen", "Frozen (order under review)"

    TRANSITIONS = {
        Status.PENDING: {Status.APPROVED, Status.REVERSED, Status.FROZEN},
        Status.FROZEN: {Status.PENDING, Status.REVERSED},
        Status.APPROVED: {Status.PAID, Status.REVERSED},
        Status.PAID: {Status.REVERSED},
    }

    order_line = models.OneToOneField(OrderLine, on_delete=models.PROTECT, related_name="commission")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="commissions")
    # Indexed by the composite indexes below that start with them: every commission batch
    # writes each index, so none is kept twice.
    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="commissions", db_index=False)
    creator = models.ForeignKey(Creator, on_delete=models.PROTECT, related_name="commissions", db_index=False)
    link = models.ForeignKey(Link, on_delete=models.PROTECT, related_name="commissions")
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    # The line's net amount when the commission was made: what the buyer paid for it,
    # after discounts, without tax and shipping.
    base = models.DecimalField(**MONEY)
    refunded_base = models.DecimalField(**MONEY, default=Decimal("0"))
    rate = models.DecimalField(max_digits=5, decimal_places=2)
    rate_source = models.CharField(max_length=10)
    rate_reason = models.CharField(max_length=200)
    # Set when a rate cut was waiting for this creator's link: the rate is the protected
    # one, and the cut reaches their later sales from this moment (affiliates.rates).
    protected_until = models.DateTimeField(null=True, blank=True)
    # What the creator is owed now: round(base - refunded_base) x rate, once, half-up.
    amount = models.DecimalField(**MONEY)
    # Of an approved amount, what refunds took back again (as ledger debits).
    clawed_back = models.DecimalField(**MONEY, default=Decimal("0"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    hold_until = models.DateTimeField()
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    # Which call made it: a batch counts in the rollups only what it created itself.
    batch = models.UUIDField(editable=False)

    history = HistoricalRecords(excluded_fields=["batch"])
    # Every status move and money change (computed, refunds, reversal), who and why.
    audit_entries = audit_trail("commission")

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "hold_until"], name="commission_due"),
            models.Index(fields=["creator", "status"], name="commission_creator_status"),
            models.Index(fields=["shop", "created_at"], name="commission_shop_created"),
            # "Commissions owed" sums these without reading the table (PostgreSQL covering index).
            models.Index(fields=["shop", "status"], include=["amount", "clawed_back"], name="commission_shop_owed"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0) & Q(amount__lte=models.F("base")),
                                   name="commission_between_zero_and_base"),
            models.CheckConstraint(condition=Q(refunded_base__lte=models.F("base")),
                                   name="commission_refund_le_base"),
        ]

    def __str__(self):
        return f"{format_money(self.amount, self.currency)} for {self.creator} on {self.order}"


OPEN_STATUSES = (Commission.Status.PENDING, Commission.Status.APPROVED, Commission.Status.FROZEN)


class OpenCommissionTotal(models.Model):
    """What a shop owes its creators in one currency and open status (pending, approved,
    frozen): SUM(amount - clawed_back) of those commissions, as of the last compaction.

    On PostgreSQL the database keeps it: triggers on the commission table append every
    change of an open sum to OpenCommissionChange (whatever made it: services, admin,
    SQL), and a periodic task folds those changes in here (payouts/owed.py). A shop's
    figure is its few total rows plus its changes not folded in yet, never a scan of its
    commissions.
    """

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+", db_index=False)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10)
    amount = models.DecimalField(**MONEY, default=Decimal("0"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["shop", "currency", "status"], name="open_total_once")]

    def __str__(self):
        return f"{self.shop_id} {self.status}: {format_money(self.amount, self.currency)}"


class OpenCommissionChange(models.Model):
    """A change of a shop's open commission sums, written by the commission table's
    triggers; folded into OpenCommissionTotal and deleted by the compaction."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10)
    amount = models.DecimalField(**MONEY)

    def __str__(self):
        return f"{self.shop_id} {self.status}: {self.amount:+}"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The ledger is append-only: add a correcting entry instead of updating.")

    def delete(self):
        raise PermissionError("The ledger is append-only: add a correcting entry instead of deleting.")


class LedgerEntry(models.Model):
    """One movement on a creator's balance in one currency. Append-only: a balance is a sum,
    a correction is a new entry."""

    class Kind(models.TextChoices):
        COMMISSION = "commission", "Commission approved"
        CLAWBACK = "clawback", "Clawback (refund after approval)"
        PAYOUT = "payout", "Payout"
        PAYOUT_RETURNED = "payout_returned", "Payout failed, amount returned"
        ADJUSTMENT = "adjustment", "Adjustment by finance"

    creator = models.ForeignKey(Creator, on_delete=models.PROTECT, related_name="ledger_entries")
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    amount = models.DecimalField(**MONEY, help_text="Positive: owed to the creator. Negative: taken off.")
    commission = models.ForeignKey(Commission, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="ledger_entries")
    payout = models.ForeignKey("Payout", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="ledger_entries")
    note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "ledger entries"
        indexes = [models.Index(fields=["creator", "currency", "created_at"], name="ledger_creator_time")]
        constraints = [
            # A commission is credited once, a payout debited once and returned at most once.
            models.UniqueConstraint(fields=["commission"], condition=Q(kind="commission"),
                                    name="ledger_one_credit_per_commission"),
            models.UniqueConstraint(fields=["payout", "kind"], condition=Q(payout__isnull=False),
                                    name="ledger_one_entry_per_payout_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {format_money(self.amount, self.currency)} for {self.creator}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The ledger is append-only: add a correcting entry instead of editing.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The ledger is append-only: add a correcting entry instead of deleting.")


class PayoutRun(models.Model):
    """The payout of one month: computed, reviewed and approved by finance, then paid."""

    class Status(models.TextChoices):
        COMPUTING = "computing", "Computing"
        READY = "ready", "Ready for review"
        APPROVED = "approved", "Approved"
        PAID = "paid", "Paid"

    TRANSITIONS = {
        Status.COMPUTING: {Status.READY},
        Status.READY: {Status.APPROVED},
        Status.APPROVED: {Status.PAID},
    }

    period = models.DateField(unique=True, help_text="The first day of the month this run pays for.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.COMPUTING)
    cutoff = models.DateTimeField(help_text="Ledger entries before this moment are counted.")
    total = models.PositiveIntegerField(default=0, help_text="Creator balances to pay, per currency.")
    done = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    computed_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    history = HistoricalRecords(excluded_fields=["done"])
    audit_entries = audit_trail("payout_run")

    class Meta:
        ordering = ["-period"]

    def __str__(self):
        return f"Payout run {self.period:%Y-%m}"

    @property
    def progress(self) -> str:
        return f"{self.done} of {self.total}"


class Payout(models.Model):
    """Money sent to one creator in one currency: for a month's run, or early on request."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be paid"
        PAID = "paid", "Paid"
        FAILED = "failed", "Failed (amount returned to the balance)"

    class Kind(models.TextChoices):
        MONTHLY = "monthly", "Monthly run"
        EARLY = "early", "Early payout"

    TRANSITIONS = {Status.PENDING: {Status.PAID, Status.FAILED}}

    run = models.ForeignKey(PayoutRun, on_delete=models.PROTECT, null=True, blank=True, related_name="payouts")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.MONTHLY)
    creator = models.ForeignKey(Creator, on_delete=models.PROTECT, related_name="payouts")
    period = models.DateField()
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    amount = models.DecimalField(**MONEY)
    # The last ledger entry this payout covers: its statement is the entries up to here.
    covers_through = models.BigIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    reference = models.CharField(max_length=100, blank=True)
    failure_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    audit_entries = audit_trail("payout")

    class Meta:
        ordering = ["-period", "creator_id"]
        constraints = [
            models.UniqueConstraint(fields=["creator", "period", "currency"], condition=Q(kind="monthly"),
                                    name="one_monthly_payout_per_creator_period_currency"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_positive"),
        ]

    def __str__(self):
        return f"{format_money(self.amount, self.currency)} to {self.creator} for {self.period:%Y-%m}"


class EarlyPayoutRequest(models.Model):
    """A creator asks to be paid before the month's run; finance approves or declines."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    TRANSITIONS = {Status.REQUESTED: {Status.APPROVED, Status.DECLINED}}

    creator = models.ForeignKey(Creator, on_delete=models.PROTECT, related_name="early_payout_requests")
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    payout = models.OneToOneField(Payout, on_delete=models.PROTECT, null=True, blank=True, related_name="request")
    decision_note = models.CharField(max_length=500, blank=True)
    requested_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    audit_entries = audit_trail("early_payout_request")

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["creator", "currency"], condition=Q(status="requested"),
                                    name="one_open_early_request_per_currency"),
        ]

    def __str__(self):
        return f"Early payout request of {self.creator} ({self.currency})"
