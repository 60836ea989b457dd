"""Working days in Cambodia: weekends and public holidays skipped, deadlines at 17:00 local."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

DUE_TIME = time(17, 0)


@lru_cache(maxsize=64)
def public_holidays(country: str, year: int) -> frozenset[date]:
    """Return the public holidays the `holidays` package knows for one country and year."""
    return frozenset(holidays.country_holidays(country, years=year).keys())


class WorkingCalendar:
    """Count and add working days in a time zone, per public holidays and extra days off."""

    def __init__(
        self, tz: str = "Asia/Phnom_Penh", country: str = "KH", days_off: Iterable[date] = ()
    ) -> None:
        self.tz = ZoneInfo(tz)
        self.country = country
        # Days off announced at short notice, which the holidays package does not know.
        self.days_off = frozenset(days_off)
        self._closed_by_year: dict[int, frozenset[date]] = {}

    def holidays_in(self, year: int) -> frozenset[date]:
        """Return the public holidays and extra days off of `year`."""
        return public_holidays(self.country, year) | {d for d in self.days_off if d.year == year}

    def is_working_day(self, d: date) -> bool:
        """Tell whether `d` is Monday to Friday, not a public holiday and not a day off."""
        return (
            d.weekday() < 5
            and d not in self.days_off
            and d not in public_holidays(self.country, d.year)
        )

    def local_date(self, moment: datetime) -> date:
        """Return the local calendar date of an aware datetime."""
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("expected an aware datetime, got a naive one")
        return moment.astimezone(self.tz).date()

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """Return 17:00 local (as aware UTC) on the `days`-th working day after start's date."""
        if days < 0:
            raise ValueError(f"days must be zero or more, got {days}")
        day = self.local_date(start)
        # Zero days means the end of the start date, or of the next working day after it.
        while days == 0 and not self.is_working_day(day):
            day += timedelta(days=1)
        for _ in range(days):
            day += timedelta(days=1)
            while not self.is_working_day(day):
                day += timedelta(days=1)
        return datetime.combine(day, DUE_TIME, tzinfo=self.tz).astimezone(UTC)

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Return the signed count of working days after start's local date up to end's."""
        first, last = self.local_date(start), self.local_date(end)
        sign = 1
        if last < first:
            first, last, sign = last, first, -1
        # Counted, not walked: a case overdue for years is a few years' holidays, not a
        # thousand days (the weekly digest counts this for every overdue case it lists).
        closed = sum(
            1
            for year in range(first.year, last.year + 1)
            for day in self._weekdays_closed(year)
            if first < day <= last
        )
        return sign * (_weekdays_through(last) - _weekdays_through(first) - closed)

    def _weekdays_closed(self, year: int) -> frozenset[date]:
        """The public holidays and days off of `year` that fall on a weekday (kept per year)."""
        if year not in self._closed_by_year:
            self._closed_by_year[year] = frozenset(
                d for d in self.holidays_in(year) if d.weekday() < 5
            )
        return self._closed_by_year[year]


def _weekdays_through(day: date) -> int:
    """Mondays to Fridays from 1 January of year 1 (a Monday) up to `day` included."""
    weeks, rest = divmod(day.toordinal() - 1, 7)
    return weeks * 5 + min(rest + 1, 5)
