"""Calendar months, the period of payout runs and statements (UTC)."""

from datetime import UTC, date, datetime, timedelta


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(day: date) -> date:
    return month_start(month_start(day) - timedelta(days=1))


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month as [start, end) in UTC."""
    start = datetime.combine(month_start(month), datetime.min.time(), tzinfo=UTC)
    return start, datetime.combine(next_month(month), datetime.min.time(), tzinfo=UTC)
