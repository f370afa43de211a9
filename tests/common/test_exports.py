"""CSV cells: numbers a spreadsheet sums, dates it reads, text it never runs."""

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from common.exports import csv_cell
from common.money import money_cell

D = Decimal


@pytest.mark.parametrize(("value", "written"), [
    (D("-1086.00"), "-1086.00"),  # a negative amount stays a number
    (money_cell(D("1086.00"), "JPY"), "1086"),  # zero-decimal currencies have no decimals
    (money_cell(D("773"), "USD"), "773.00"),
    (money_cell(D("-0.5"), "USD"), "-0.50"),
    (money_cell(None, "KRW"), "0"),
    (D("1E+3"), "1000"),
    (-3, "-3"),
    (12.5, "12.5"),
    (None, ""),
    (True, "yes"),
    (date(2026, 11, 30), "2026-11-30"),
    (datetime(2026, 11, 30, 23, 5, 9, 123456, tzinfo=UTC), "2026-11-30 23:05:09"),
    (datetime(2026, 12, 1, 8, 5, 9, 1, tzinfo=timezone(timedelta(hours=9))), "2026-11-30 23:05:09"),
    ("-1086.00", "'-1086.00"),  # text that looks like a formula is escaped
    ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
    ("+1", "'+1"), ("@cmd", "'@cmd"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("Mika's merino", "Mika's merino"),
])
def test_cells(value, written):
    assert csv_cell(value) == written
