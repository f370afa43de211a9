"""The buyer's cart, kept in the session as {product id: quantity}, with the code the
buyer entered for each shop ({shop id: code})."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError

from common.money import format_money, money_round

from .codes import CodeOffer, code_book
from .models import Product, Shop
from .pricing import Quote, quote
from .selectors import products_live

SESSION_KEY = "cart"
CODES_KEY = "cart_codes"
MAX_QUANTITY = 99


@dataclass
class CartLine:
    product: Product
    quantity: int

    @property
    def total(self) -> Decimal:
        return money_round(self.product.price * self.quantity, self.product.shop.currency)

    @property
    def total_display(self) -> str:
        return format_money(self.total, self.product.shop.currency)

    @property
    def short_of_stock(self) -> bool:
        return self.product.stock is not None and self.product.stock < self.quantity


@dataclass
class CartGroup:
    """Items of one shop: they are checked out together, in the shop's currency."""

    shop: Shop
    lines: list[CartLine]
    code: str = ""  # the code the buyer entered for this shop, if it still gives something
    offer: CodeOffer | None = None

    @property
    def subtotal_display(self) -> str:
        total = sum((line.total for line in self.lines), Decimal("0"))
        return format_money(total, self.shop.currency)

    @property
    def quote(self) -> Quote:
        """What checkout will charge, priced exactly as the order will be."""
        return quote(shop=self.shop, items=[(line.product, line.quantity) for line in self.lines], offer=self.offer)


class Cart:
    def __init__(self, session):
        self.session = session
        raw = session.get(SESSION_KEY) or {}
        self.items: dict[int, int] = {int(k): int(v) for k, v in raw.items()}
        self.codes: dict[str, str] = dict(session.get(CODES_KEY) or {})
        self.code_problems: list[str] = []  # codes dropped since they were entered, and why

    def _save(self) -> None:
        self.session[SESSION_KEY] = {str(k): v for k, v in self.items.items()}
        self.session[CODES_KEY] = self.codes

    def apply_code(self, shop: Shop, text: str) -> CodeOffer:
        """Check the code at this shop and keep it for checkout; ValidationError if it gives nothing."""
        offer = code_book().offer(shop_id=shop.pk, text=text)
        self.codes[str(shop.pk)] = offer.code
        self._save()
        return offer

    def remove_code(self, shop: Shop) -> None:
        self.codes.pop(str(shop.pk), None)
        self._save()

    def __len__(self) -> int:
        return sum(self.items.values())

    def set(self, product: Product, quantity: int) -> None:
        if quantity <= 0:
            self.items.pop(product.pk, None)
        else:
            self.items[product.pk] = quantity
        self._save()

    def add(self, product: Product, quantity: int) -> None:
        self.set(product, self.items.get(product.pk, 0) + quantity)

    def remove_products(self, product_ids) -> None:
        for product_id in product_ids:
            self.items.pop(product_id, None)
        self._save()

    def groups(self) -> list[CartGroup]:
        """The cart by shop, dropping what is no longer for sale."""
        products = {p.pk: p for p in products_live().filter(pk__in=self.items)}
        gone = [pk for pk in self.items if pk not in products]
        if gone:
            self.remove_products(gone)
        groups: dict[int, CartGroup] = {}
        for pk, quantity in self.items.items():
            product = products[pk]
            group = groups.setdefault(product.shop_id, CartGroup(shop=product.shop, lines=[]))
            group.lines.append(CartLine(product=product, quantity=quantity))
        for group in groups.values():
            code = self.codes.get(str(group.shop.pk))
            if code:
                try:
                    group.offer, group.code = code_book().offer(shop_id=group.shop.pk, text=code), code
                except ValidationError as exc:  # it ended, was switched off or used up since
                    self.code_problems += exc.messages
                    self.remove_code(group.shop)
        return list(groups.values())

    def items_of_shop(self, shop: Shop) -> dict[int, int]:
        ids = set(Product.objects.filter(shop=shop, pk__in=self.items).values_list("pk", flat=True))
        return {pk: qty for pk, qty in self.items.items() if pk in ids}
