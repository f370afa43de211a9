"""Updating a model from a form's data, in one way."""

from collections.abc import Iterable

from django.core.exceptions import ObjectDoesNotExist
from django.db import models


def model_update(obj: models.Model, *, data: dict, fields: Iterable[str]) -> list[str]:
    """Set obj's fields from `data`, which may hold only names from `fields` (anything
    else is a programming error: TypeError), and return the names whose value changed.
    The caller validates and saves; services put their own rules around it."""
    allowed = set(fields)
    unknown = set(data) - allowed
    if unknown:
        raise TypeError(f"not updatable fields of {type(obj).__name__}: {sorted(unknown)}")
    changed = []
    for name, value in data.items():
        try:
            current = getattr(obj, name)
        except ObjectDoesNotExist:  # a relation not set yet (a new product's category)
            current = None
        if current != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed
