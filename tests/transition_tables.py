"""Check a model's status moves against a table written in the test.

The oracle is the literal table passed in, never the model's own TRANSITIONS: a wrong
move added to (or missing from) the model's table fails here. Every pair of statuses is
tried through common.transitions.transition(): an allowed move happens and writes its
audit entry; any other is refused and changes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from common.models import AuditEntry
from common.transitions import transition


def check_moves(obj, expected: dict[str, set[str]]) -> None:
    model = type(obj)
    statuses = list(model.Status.values)
    assert set(expected) <= set(statuses)
    wrong = []
    for start in statuses:
        for to in statuses:
            allowed = to in expected.get(start, set())
            model.objects.filter(pk=obj.pk).update(status=start)
            entries = AuditEntry.objects.count()
            try:
                with transaction.atomic():
                    moved = transition(obj, to=to, reason="table test")
            except ValidationError:
                if allowed:
                    wrong.append(f"{start} -> {to} refused")
                elif model.objects.get(pk=obj.pk).status != start or AuditEntry.objects.count() != entries:
                    wrong.append(f"{start} -> {to} refused but changed something")
                continue
            if not allowed:
                wrong.append(f"{start} -> {to} allowed")
            elif moved.status != to or AuditEntry.objects.count() != entries + 1:
                wrong.append(f"{start} -> {to} did not move or was not audited")
    assert not wrong, f"{model.__name__}: {wrong}"
