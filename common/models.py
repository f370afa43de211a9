from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AuditEntry(models.Model):
    """One change people may need to trace, on any object: a status move (from, to), a
    money change on a commission (amount_change), or a note on an order (a partial
    refund, a hold for review); always who, when and why.

    Written by common.transitions only. Models that keep an audit trail declare
    `audit_entries = audit_trail("their_name")`, so their entries can be read in order
    (`obj.audit_entries.all()`) and queried across the relation
    (`AuditEntry.objects.filter(commission__shop=shop)`).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    amount_change = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="audit_object_time")]
        verbose_name_plural = "audit entries"

    def __str__(self):
        move = f"{self.from_status or '-'} -> {self.to_status}" if self.from_status != self.to_status else "note"
        return f"{self.content_type.model} {self.object_id}: {move}"

    def _label(self, status: str) -> str:
        if not status:
            return ""
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()  # cached: no query
        choices = getattr(model, "Status", None)
        return dict(choices.choices).get(status, status) if choices else status

    @property
    def from_label(self) -> str:
        return self._label(self.from_status)

    @property
    def to_label(self) -> str:
        return self._label(self.to_status)

    @property
    def is_move(self) -> bool:
        return self.from_status != self.to_status


def audit_trail(related_query_name: str) -> GenericRelation:
    """The reverse side of AuditEntry on a model: `audit_entries = audit_trail("order")`."""
    return GenericRelation(AuditEntry, related_query_name=related_query_name)
