"""Working days in SQL, so reports group a million rows in the database instead of in Python.

``local_day(column)`` is a timestamp's date in the tracker's time zone, computed by the database.
``working_day_numbers`` is a small VALUES table numbering every day of a span by the working
days up to it (the working calendar: Cambodian holidays and the admin's days off), so the
working days between two dates are one subtraction: ``n(later) - n(earlier)`` is exactly
``WorkingCalendar.working_days_between`` (working days after the first date, up to the second).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, Integer, cast, column, func, literal_column, values

from tracker.extensions import db
from tracker.models import now_utc
from workflows import WorkingCalendar

ZONE_NAME = re.compile(r"[A-Za-z0-9_+\-/]{1,64}")


def local_day(moment: Any, calendar: WorkingCalendar) -> Any:
    """SQL: the local date of a UTC timestamp column in the calendar's time zone."""
    # Literal, not bound: the same expression in SELECT and GROUP BY must be the same text.
    if db.session.get_bind().dialect.name == "postgresql":
        zone = calendar.tz.key
        if not ZONE_NAME.fullmatch(zone):
            raise ValueError(f"unexpected time zone name {zone!r}")
        return cast(func.timezone(literal_column(f"'{zone}'"), moment), Date)
    # SQLite has no named zones: the zone's offset now (Cambodia keeps one all year).
    offset = calendar.tz.utcoffset(now_utc().replace(tzinfo=None)) or timedelta(0)
    return func.date(moment, literal_column(f"'{int(offset.total_seconds() // 60):+d} minutes'"))


def as_date(value: Any) -> date:
    """A date from the database (PostgreSQL answers dates, SQLite text)."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def working_day_numbers(first: date, last: date, calendar: WorkingCalendar) -> Any:
    """A table (day, n) as a CTE of VALUES: each day from first to last with the working days
    up to it (a CTE, as SQLite names VALUES columns only there)."""
    rows, count, day = [], 0, first
    while day <= last:
        count += calendar.is_working_day(day)
        rows.append((day, count))
        day += timedelta(days=1)
    table = values(column("day", Date), column("n", Integer), name="working_day_numbers")
    return table.data(rows).cte("working_day_numbers")


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
