"""Checks the affiliate services share."""

from decimal import Decimal

from django.core.exceptions import ValidationError

from ..models import MAX_RATE, MIN_RATE


def check_rate(rate: Decimal | None, *, field: str = "rate") -> None:
    """A rate is a percentage from MIN_RATE to MAX_RATE with at most two decimals (or none)."""
    if rate is None:
        return
    if not isinstance(rate, Decimal) or not MIN_RATE <= rate <= MAX_RATE or rate != rate.quantize(Decimal("0.01")):
        raise ValidationError({field: f"Rates are percentages from {MIN_RATE} to {MAX_RATE}, with at most 2 decimals."})


def need_reason(reason: str, who: str) -> str:
    """The reason, stripped; refused when empty, saying who reads it."""
    if not reason.strip():
        raise ValidationError(f"Give a reason: {who} reads it.")
    return reason.strip()
