"""The one way an object changes status, and the one audit trail of such changes.

A model that has statuses declares `Status` (TextChoices) and `TRANSITIONS`, a table
{from: {to, ...}}, and `audit_entries = audit_trail("<name>")`. `transition()` is then
the only writer of its status: it locks the row, refuses a move the table does not allow,
sets the status and the caller's stamps (paid_at, reason, ...), writes one AuditEntry
(who, when, from, to, why) and sends `status_changed` after commit. A service adds only
what is its own (the ledger entry, the stock). `record()` writes an entry without a move
(a note, a money change); `record_many()` and `sources()` serve set-based moves that
update many rows in one statement and write their entries in one insert.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from .models import AuditEntry
from .signals import status_changed


def _actor(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _refusal(obj, to: str) -> ValidationError:
    name = obj._meta.verbose_name
    article = "An" if name[:1].lower() in "aeiou" else "A"
    return ValidationError(f"{article} {name} that is {obj.get_status_display().lower()} "
                           f"cannot become {type(obj).Status(to).label.lower()}.")


def allowed(obj, to: str) -> bool:
    """May obj move to `to` from where it is now?"""
    return to in type(obj).TRANSITIONS.get(obj.status, ())


def sources(model: type[models.Model], to: str) -> list[str]:
    """The statuses a row of `model` may leave for `to`: what set-based moves filter on,
    so they follow the table just as single moves do."""
    return [start for start, targets in model.TRANSITIONS.items() if to in targets]


@transaction.atomic
def transition(obj: models.Model, *, to: str, by=None, reason: str = "", amount_change: Decimal | None = None,
               **stamps) -> models.Model:
    """Move obj to `to` if its TRANSITIONS table allows it: lock, stamp, audit, signal after
    commit. Returns the object as saved (a fresh instance: the caller's may be stale)."""
    model = type(obj)
    locked = model.objects.select_for_update().get(pk=obj.pk)
    if not allowed(locked, to):
        raise _refusal(locked, to)
    from_status = locked.status
    locked.status = to
    for name, value in stamps.items():
        setattr(locked, name, value)
    fields = ["status", *stamps]
    fields += [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
    # simple-history, where the model keeps field history, records who and why as well.
    locked._change_reason = f"{from_status} -> {to}" + (f": {reason}" if reason else "")
    locked._history_user = _actor(by)
    locked.save(update_fields=fields)
    record(locked, by=by, reason=reason, from_status=from_status, amount_change=amount_change)
    transaction.on_commit(lambda: status_changed.send(sender=model, obj=locked, from_status=from_status,
                                                      to_status=to, by=_actor(by), reason=reason))
    return locked


def record(obj: models.Model, *, by=None, reason: str = "", from_status: str | None = None,
           amount_change: Decimal | None = None, at=None) -> AuditEntry:
    """Write one audit entry for obj: a move if from_status differs from its status now,
    otherwise a note or a money change. The caller holds the row (or made it)."""
    status = getattr(obj, "status", "")
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk,
        from_status=status if from_status is None else from_status, to_status=status,
        amount_change=amount_change, reason=reason[:500], by=_actor(by), at=at or timezone.now())


def record_many(model: type[models.Model], rows: Iterable[dict]) -> None:
    """Entries for a set-based change, in one insert: each row has object_id and any of
    from_status, to_status, amount_change, reason, by_id, at."""
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    AuditEntry.objects.bulk_create(
        [AuditEntry(content_type=content_type, object_id=row["object_id"], from_status=row.get("from_status", ""),
                    to_status=row.get("to_status", ""), amount_change=row.get("amount_change"),
                    reason=row.get("reason", "")[:500], by_id=row.get("by_id"), at=row.get("at") or now)
         for row in rows], batch_size=5000)
