"""How an order is priced, in one place: the checkout page shows it, order_place stores it."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from common.money import money_round

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


def quote(*, shop: Shop, items: Iterable[tuple[Product, int]]) -> Quote:
    """Price these products at their current database price, with the shop's tax and shipping.
    Tax is rounded per line, so a partial refund returns exactly that line's tax."""
    currency = shop.currency
    lines = []
    for product, quantity in items:
        discount = Decimal("0")
        net = money_round(product.price * quantity - discount, currency)
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
