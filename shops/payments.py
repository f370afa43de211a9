"""Payments behind a small gateway interface.

The default gateway is a test mode, documented like a real provider's:

| card number         | result                        |
| ------------------- | ----------------------------- |
| 4242 4242 4242 4242 | approved                      |
| 4000 0000 0000 0002 | declined: card declined       |
| 4000 0000 0000 9995 | declined: insufficient funds  |
| any other number    | declined: invalid card number |

Any future expiry date and any three digits as CVC are accepted. Refunds always succeed.
Set PAYMENT_GATEWAY to the dotted path of another class with the same methods for a real provider.

Every call carries an idempotency key (the checkout's key for a charge, the refund's own
for a refund): a provider that sees the same key twice answers with the first result
and moves no money again, which is what makes a retried request or a retried refund safe.
A gateway that cannot tell whether the money moved (a timeout) raises GatewayUnavailable;
the caller then keeps the operation pending and asks again later with the same key.
"""

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class PaymentResult:
    approved: bool
    reference: str = ""
    message: str = ""


class GatewayUnavailable(Exception):
    """The provider did not answer: whether money moved is unknown until asked again."""


class PaymentGateway(Protocol):
    def charge(self, *, amount: Decimal, currency: str, card_number: str, description: str,
               idempotency_key: str) -> PaymentResult: ...

    def refund(self, *, reference: str, amount: Decimal, currency: str, idempotency_key: str) -> PaymentResult: ...


def _reference(prefix: str, key: str) -> str:
    """The same key gives the same reference, as a provider's idempotent answer would."""
    return f"{prefix}_{hashlib.sha256(key.encode()).hexdigest()[:16]}"


class TestGateway:
    """Approves or declines by card number; never moves real money."""

    APPROVE = "4242424242424242"
    DECLINES = {
        "4000000000000002": "Your card was declined.",
        "4000000000009995": "Your card has insufficient funds.",
    }

    def charge(self, *, amount: Decimal, currency: str, card_number: str, description: str,
               idempotency_key: str) -> PaymentResult:
        number = "".join(ch for ch in card_number if ch.isdigit())
        if number == self.APPROVE:
            return PaymentResult(True, reference=_reference("test_ch", idempotency_key))
        if number in self.DECLINES:
            return PaymentResult(False, message=self.DECLINES[number])
        return PaymentResult(False, message="That card number is not valid. In test mode use 4242 4242 4242 4242.")

    def refund(self, *, reference: str, amount: Decimal, currency: str, idempotency_key: str) -> PaymentResult:
        return PaymentResult(True, reference=_reference("test_re", idempotency_key))


def get_gateway() -> PaymentGateway:
    """The configured gateway: PAYMENT_GATEWAY's class, made with PAYMENT_GATEWAY_OPTIONS."""
    return import_string(settings.PAYMENT_GATEWAY)(**settings.PAYMENT_GATEWAY_OPTIONS)
