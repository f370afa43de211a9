"""How an order is priced, in one place: the checkout page shows it, order_place stores it."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from common.money import money_round

from .codes import CodeOffer
from .models import Product, Shop


@dataclass(frozen=True)
class PricedLine:
    product: Product
    quantity: int
    unit_price: Decimal
    discount: Decimal
    net_amount: Decimal  # after discounts, without tax and shipping: the commission base
    tax: Decimal


@dataclass(frozen=True)
class Quote:
    currency: str
    lines: list[PricedLine]
    subtotal: Decimal
    discount: Decimal
    shipping: Decimal
    tax: Decimal

    @property
    def total(self) -> Decimal:
        return self.subtotal - self.discount + self.shipping + self.tax

    @property
    def needs_shipping(self) -> bool:
        return any(line.product.kind == Product.Kind.PHYSICAL for line in self.lines)


def quote(*, shop: Shop, items: Iterable[tuple[Product, int]], offer: CodeOffer | None = None) -> Quote:
    """Price these products at their current database price, with the shop's tax and shipping,
    and the code's discount if there is one. Tax is rounded per line, so a partial refund
    returns exactly that line's tax; the discount is split over the lines (code_discount)."""
    currency = shop.currency
    items = list(items)
    grosses = [money_round(product.price * quantity, currency) for product, quantity in items]
    discounts = code_discount(offer, grosses, currency) if offer else [Decimal("0")] * len(items)
    lines = []
    for (product, quantity), gross, discount in zip(items, grosses, discounts, strict=True):
        net = gross - discount
        lines.append(PricedLine(product=product, quantity=quantity, unit_price=product.price, discount=discount,
                                net_amount=net, tax=money_round(net * shop.tax_rate / 100, currency)))
    needs_shipping = any(line.product.kind == Product.Kind.PHYSICAL for line in lines)
    return Quote(
        currency=currency,
        lines=lines,
        subtotal=money_round(sum((line.unit_price * line.quantity for line in lines), Decimal("0")), currency),
        discount=sum((line.discount for line in lines), Decimal("0")),
        shipping=shop.shipping_fee if needs_shipping else Decimal("0"),
        tax=sum((line.tax for line in lines), Decimal("0")),
    )


def code_discount(offer: CodeOffer, grosses: list[Decimal], currency: str) -> list[Decimal]:
    """The code's discount on each line. The order's discount is worked out once (a percent
    of the items, at most the cap; or the amount, at most the items) and rounded to the
    currency; it is then split over the lines in proportion to their amounts, each share
    rounded, the last line taking what rounding left, so the shares add up exactly."""
    items = sum(grosses, Decimal("0"))
    if not items:
        return [Decimal("0")] * len(grosses)
    if offer.percent:
        total = money_round(items * offer.percent / 100, currency)
        if offer.cap is not None:
            total = min(total, money_round(offer.cap, currency))
    else:
        total = money_round(offer.amount or Decimal("0"), currency)
    total = min(total, items)
    shares = [money_round(total * gross / items, currency) for gross in grosses[:-1]]
    shares.append(total - sum(shares, Decimal("0")))
    if shares[-1] > grosses[-1] or shares[-1] < 0:  # rounding pushed the last share outside its line
        shares = _largest_first(total, grosses)
    return shares


def _largest_first(total: Decimal, grosses: list[Decimal]) -> list[Decimal]:
    shares = [Decimal("0")] * len(grosses)
    left = total
    for index in sorted(range(len(grosses)), key=lambda i: grosses[i], reverse=True):
        shares[index] = min(grosses[index], left)
        left -= shares[index]
    return shares
