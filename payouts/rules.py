"""The money rules of payouts, each in one place: the commission formula and the payout minimum."""

from decimal import Decimal

from django.conf import settings

from common.money import money_round


def commission_amount(*, base: Decimal, rate: Decimal, currency: str) -> Decimal:
    """The one commission formula: base x rate %, rounded once, half-up, to the minor unit."""
    return money_round(base * rate / Decimal(100), currency)


def payout_minimum(currency: str) -> Decimal:
    """The smallest payout in a currency (PAYOUT_MINIMUM, or its own for small-unit currencies)."""
    return Decimal(str(settings.PAYOUT_MINIMUM_BY_CURRENCY.get(currency, settings.PAYOUT_MINIMUM)))
