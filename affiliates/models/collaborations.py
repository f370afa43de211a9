"""Between a shop and a creator: targeted collaborations, invitations, applications and samples."""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from common.models import audit_trail
from shops.models import Product

from .creators import Creator
from .programs import RATE, AffiliateProgram


class Collaboration(models.Model):
    """A targeted collaboration: one creator, one shop, their own rates, until it ends."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    TRANSITIONS = {Status.ACTIVE: {Status.ENDED}}

    program = models.ForeignKey(AffiliateProgram, on_delete=models.CASCADE, related_name="collaborations")
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="collaborations")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # The rate for every product of the shop, or empty when the rates are per product.
    all_products_rate = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    audit_entries = audit_trail("collaboration")

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["creator", "status"], name="collab_creator_status")]

    def __str__(self):
        return f"{self.creator} x {self.program.shop}"

    def is_active_at(self, at) -> bool:
        if self.started_at > at:
            return False
        if self.ended_at is not None and self.ended_at <= at:
            return False
        return not (self.ends_on and at.date() > self.ends_on)


class CollaborationProduct(models.Model):
    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="products")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="collaboration_rates")
    rate = models.DecimalField(**RATE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["collaboration", "product"], name="collab_product_once")]

    def __str__(self):
        return f"{self.product} at {self.rate}%"


class Invitation(models.Model):
    """A seller's offer to one creator: rates per product (or all products), answered within 14 days."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        EXPIRED = "expired", "Expired"

    TRANSITIONS = {Status.PENDING: {Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN, Status.EXPIRED}}
    LIFETIME = timedelta(days=14)

    program = models.ForeignKey(AffiliateProgram, on_delete=models.CASCADE, related_name="invitations")
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="invitations")
    message = models.TextField(max_length=2000, blank=True)
    all_products_rate = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    collaboration_ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    collaboration = models.OneToOneField(Collaboration, on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="invitation")

    audit_entries = audit_trail("invitation")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation from {self.program.shop} to {self.creator}"


class InvitationProduct(models.Model):
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="products")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    rate = models.DecimalField(**RATE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["invitation", "product"], name="invitation_product_once")]

    def __str__(self):
        return f"{self.product} at {self.rate}%"


class Application(models.Model):
    """A creator asks to promote one product, or the whole shop."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the seller"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    TRANSITIONS = {Status.PENDING: {Status.APPROVED, Status.DECLINED, Status.WITHDRAWN}}

    program = models.ForeignKey(AffiliateProgram, on_delete=models.CASCADE, related_name="applications")
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="applications")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                help_text="Empty: the whole shop.")
    message = models.TextField(max_length=2000, blank=True)
    response = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    audit_entries = audit_trail("application")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["program", "creator", "product"], condition=Q(status="pending"),
                                    name="one_pending_application_per_product"),
            models.UniqueConstraint(fields=["program", "creator"], condition=Q(status="pending", product=None),
                                    name="one_pending_application_per_shop"),
        ]

    def __str__(self):
        return f"{self.creator} applies to {self.product or self.program.shop}"


class SampleRequest(models.Model):
    """A creator asks for a free sample; after delivery they owe content within 14 days."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Expired (not answered in time)"
        SHIPPED = "shipped", "Shipped"
        DELIVERED = "delivered", "Delivered"
        FULFILLED = "fulfilled", "Content posted"
        OVERDUE = "overdue", "Content overdue"

    TRANSITIONS = {
        Status.REQUESTED: {Status.APPROVED, Status.DECLINED, Status.EXPIRED},
        Status.APPROVED: {Status.SHIPPED},
        Status.SHIPPED: {Status.DELIVERED},
        Status.DELIVERED: {Status.FULFILLED, Status.OVERDUE},
        Status.OVERDUE: {Status.FULFILLED},
    }
    ANSWER_WITHIN = timedelta(days=7)
    CONTENT_WITHIN = timedelta(days=14)

    program = models.ForeignKey(AffiliateProgram, on_delete=models.CASCADE, related_name="sample_requests")
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="sample_requests")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    message = models.TextField(max_length=1000, blank=True)
    shipping_address = models.TextField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED, db_index=True)
    decline_reason = models.CharField(max_length=500, blank=True)
    tracking_number = models.CharField(max_length=64, blank=True)
    content_url = models.URLField(max_length=500, blank=True)
    # The registered content that fulfilled it (a content piece featuring the product).
    content = models.ForeignKey("affiliates.Content", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="samples")
    requested_at = models.DateTimeField()
    answer_by = models.DateTimeField(db_index=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    content_due = models.DateTimeField(null=True, blank=True, db_index=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)

    audit_entries = audit_trail("sample_request")

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"Sample of {self.product} for {self.creator}"
