"""Working days in Cambodia: weekends and public holidays skipped, deadlines at 17:00 local."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

DUE_TIME = time(17, 0)


class WorkingCalendar:
    """Count and add working days in a time zone, per Cambodian public holidays."""

    def __init__(self, tz: str = "Asia/Phnom_Penh", country: str = "KH") -> None:
        self.tz = ZoneInfo(tz)
        self.country = country
        self._holidays: dict[int, frozenset[date]] = {}

    def holidays_in(self, year: int) -> frozenset[date]:
        """Return the public holidays of `year` (cached per year)."""
        if year not in self._holidays:
            found = holidays.country_holidays(self.country, years=year)
            self._holidays[year] = frozenset(found.keys())
        return self._holidays[year]

    def is_working_day(self, d: date) -> bool:
        """Tell whether `d` is Monday to Friday and not a public holiday."""
        return d.weekday() < 5 and d not in self.holidays_in(d.year)

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
        count = 0
        day = first + timedelta(days=1)
        while day <= last:
            if self.is_working_day(day):
                count += 1
            day += timedelta(days=1)
        return sign * count
