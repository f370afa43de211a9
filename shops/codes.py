"""Codes a buyer enters at checkout, as the shop sees them.

The shop does not know who owns a code (a creator, in the affiliates app above it): that
app registers a `CodeBook` here when it starts (`use_code_book`). The checkout asks it
what a code gives (`offer`), and counts a use when an order is placed with it (`use`,
refused at the usage limit, so no limit is ever overshot) or gives the use back when the
payment fails (`release`).
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class CodeOffer:
    code: str  # as stored: upper case
    percent: Decimal | None = None  # percent off the items, or
    amount: Decimal | None = None  # an amount off the items (the shop's currency)
    cap: Decimal | None = None  # the most a percent discount gives
    description: str = ""  # for the buyer: "10 % off (at most $20.00), thanks to @mika"


class CodeBook(Protocol):
    def offer(self, *, shop_id: int, text: str) -> CodeOffer:
        """What the code gives at this shop now; ValidationError with the buyer's message if nothing."""

    def use(self, *, shop_id: int, code: str) -> bool:
        """Count one use, inside the caller's transaction; False at the usage limit."""

    def release(self, *, shop_id: int, code: str) -> None:
        """Give a use back (the order's payment failed)."""


class _NoCodes:
    def offer(self, *, shop_id: int, text: str) -> CodeOffer:
        raise ValidationError("This shop takes no codes.")

    def use(self, *, shop_id: int, code: str) -> bool:
        return False

    def release(self, *, shop_id: int, code: str) -> None:
        return None


_book: CodeBook = _NoCodes()


def use_code_book(book: CodeBook) -> None:
    global _book  # noqa: PLW0603 - set once at start-up
    _book = book


def code_book() -> CodeBook:
    return _book
