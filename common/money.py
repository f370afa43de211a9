"""Money rules in one place: Decimal amounts with a currency, rounded half-up to the minor unit."""

from decimal import ROUND_HALF_UP, Decimal

# ISO 4217 currencies a shop may sell in, with their minor unit (decimal places).
CURRENCIES: dict[str, tuple[str, int]] = {
    "USD": ("US dollar", 2),
    "EUR": ("Euro", 2),
    "GBP": ("Pound sterling", 2),
    "CAD": ("Canadian dollar", 2),
    "AUD": ("Australian dollar", 2),
    "SGD": ("Singapore dollar", 2),
    "MYR": ("Malaysian ringgit", 2),
    "THB": ("Thai baht", 2),
    "PHP": ("Philippine peso", 2),
    "MXN": ("Mexican peso", 2),
    "BRL": ("Brazilian real", 2),
    "JPY": ("Japanese yen", 0),
    "KRW": ("South Korean won", 0),
    "VND": ("Vietnamese dong", 0),
    "IDR": ("Indonesian rupiah", 2),
}
CURRENCY_CHOICES = [(code, f"{code}: {name}") for code, (name, _) in CURRENCIES.items()]

# The largest price or amount a form accepts; the database holds 12 digits.
MAX_AMOUNT = Decimal("9999999999.99")
MAX_PRICE = Decimal("10000000")


def minor_unit(currency: str) -> int:
    """Decimal places of the currency: 2 for USD, 0 for JPY."""
    return CURRENCIES[currency][1]


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_unit(currency))


def money_round(amount: Decimal, currency: str) -> Decimal:
    """The one rounding of money: half-up to the currency's minor unit."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"money must be Decimal, not {type(amount).__name__}")
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def money_sum(total, currency: str) -> Decimal:
    """A sum of amounts as the database returned it, as exact money. PostgreSQL sums
    numerics exactly; SQLite (the embedded default) sums them as floats, so 0.1 + 0.2 comes
    back as 0.30000000000000004 and a zero balance as -2.8e-14. Round such sums here before
    comparing or storing them."""
    return money_round(Decimal(str(total or 0)), currency)


def money_cell(amount: Decimal | int | None, currency: str) -> Decimal:
    """An amount for an export: a number in the currency's minor unit (12.50, 1200)."""
    return money_round(Decimal(amount or 0), currency)


def format_money(amount: Decimal | None, currency: str) -> str:
    """`¥1,200`, `$12.50`, `12.50 EUR`: what people read."""
    if amount is None:
        return ""
    symbols = {"USD": "$", "JPY": "¥", "EUR": "€", "GBP": "£"}
    value = f"{money_round(Decimal(amount), currency):,.{minor_unit(currency)}f}"
    symbol = symbols.get(currency)
    if symbol:
        return f"-{symbol}{value[1:]}" if value.startswith("-") else f"{symbol}{value}"
    return f"{value} {currency}"


def minor_unit_error(amount: Decimal | None, currency: str) -> str | None:
    """The message for an amount finer than the currency allows (¥10.50), else None."""
    if amount is None or not currency or money_round(amount, currency) == amount:
        return None
    return f"{currency} amounts have no smaller unit than {format_money(quantum(currency), currency)}."
