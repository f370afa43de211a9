"""CSV downloads that a spreadsheet reads as data and never runs as a formula.

Cells keep their type until they are written: numbers are written as numbers (negative
ones too, so a column sums), dates as ISO dates, moments as UTC date and time without
fractions of a second, and only text that starts like a formula is escaped.
"""

import csv
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal

from django.http import StreamingHttpResponse

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """One cell as written to the file."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, rows: Iterable[Iterable]) -> StreamingHttpResponse:
    """Stream rows (the first one the header, where the format has one) as a CSV attachment."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow([csv_cell(cell) for cell in row]) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
