from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.money import format_money, minor_unit_error, money_round


@pytest.mark.parametrize(("amount", "currency", "expected"), [
    ("2.345", "USD", "2.35"), ("2.344", "USD", "2.34"), ("-2.345", "USD", "-2.35"),
    ("1500.5", "JPY", "1501"), ("1500.4", "JPY", "1500"), ("0.005", "EUR", "0.01"),
])
def test_money_round_is_half_up_to_the_minor_unit(amount, currency, expected):
    assert money_round(Decimal(amount), currency) == Decimal(expected)


def test_money_round_refuses_floats():
    with pytest.raises(TypeError):
        money_round(2.345, "USD")


@given(st.decimals(min_value=0, max_value=10**9, places=4))
def test_jpy_amounts_are_integral(amount):
    assert money_round(amount, "JPY") == money_round(amount, "JPY").to_integral_value()


def test_format_money():
    assert format_money(Decimal("1234.5"), "USD") == "$1,234.50"
    assert format_money(Decimal("1200"), "JPY") == "¥1,200"
    assert format_money(Decimal("12"), "SGD") == "12.00 SGD"
    assert format_money(Decimal("-3.5"), "USD") == "-$3.50"


def test_minor_unit_error():
    assert minor_unit_error(Decimal("10.50"), "JPY") == "JPY amounts have no smaller unit than ¥1."
    assert minor_unit_error(Decimal("10"), "JPY") is None
    assert minor_unit_error(Decimal("10.005"), "USD")
