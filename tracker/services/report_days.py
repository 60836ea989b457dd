"""Small helpers of the report figures: dates as the database answers them, and the median of a
histogram (the agency figures count referrals per response days instead of listing them)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any


def as_date(value: Any) -> date:
    """A date from the database (PostgreSQL answers dates, SQLite text)."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def histogram_median(counts: dict[int, int]) -> float | None:
    """The median of values given as {value: how many times}."""
    total = sum(counts.values())
    if not total:
        return None
    wanted, seen, middle = {(total - 1) // 2, total // 2}, 0, []
    for value in sorted(counts):
        for position in sorted(wanted):
            if seen <= position < seen + counts[value]:
                middle.append(value)
        seen += counts[value]
    return sum(middle) / len(middle) if len(middle) == 2 else float(middle[0])
