"""Working days in Phnom Penh, checked against an independent day-by-day count."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from workflows import calendar as calendar_module
from workflows.calendar import WorkingCalendar

PHNOM_PENH = ZoneInfo("Asia/Phnom_Penh")
KH = holidays.country_holidays("KH")  # grows with each year asked about


def working(d: date) -> bool:
    """Tell whether `d` is a Cambodian working day, independently of the code under test."""
    return d.weekday() not in (5, 6) and d not in KH


def nth_working_day_after(start: date, n: int) -> date:
    """Step day by day from `start`, counting only working days, until n are counted."""
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if working(day):
            counted += 1
    return day


def local(d: date, hour: int = 10, minute: int = 0) -> datetime:
    """Return a moment on local date `d` in Phnom Penh, as aware UTC."""
    return datetime.combine(d, time(hour, minute), tzinfo=PHNOM_PENH).astimezone(UTC)


def due(d: date) -> datetime:
    """Return 17:00 Phnom Penh on `d`, as aware UTC."""
    return local(d, 17)


def friday_before_khmer_new_year(year: int) -> date:
    """Find the Friday before the first Khmer New Year holiday of `year`."""
    kh = holidays.country_holidays("KH", years=year)
    new_year = sorted(d for d, name in kh.items() if "Khmer New Year" in name)
    assert new_year, f"holidays knows no Khmer New Year in {year}"
    first = new_year[0]
    return first - timedelta(days=(first.weekday() - 4) % 7 or 7)


def quiet_monday(year: int) -> date:
    """Find the first Monday of `year` whose week and the weekend before have no holiday."""
    day = date(year, 1, 1)
    while True:
        week = [day + timedelta(days=i) for i in range(-3, 5)]
        if day.weekday() == 0 and not any(d in KH for d in week):
            return day
        day += timedelta(days=1)


def test_khmer_new_year_friday_gets_the_right_due_date(calendar):
    friday = friday_before_khmer_new_year(2026)
    assert friday.weekday() == 4
    assert working(friday)
    expected = nth_working_day_after(friday, 5)
    weekdays_only = friday + timedelta(days=7)  # five working days if there were no holidays
    assert expected > weekdays_only  # the holidays must matter for this test to mean anything
    result = calendar.add_working_days(local(friday, 9, 30), 5)
    assert result == due(expected)
    assert result.tzinfo is UTC
    assert result.astimezone(PHNOM_PENH).time() == time(17, 0)


@pytest.mark.parametrize("days", [1, 2, 10, 20])
def test_deadlines_from_the_khmer_new_year_friday(calendar, days):
    friday = friday_before_khmer_new_year(2026)
    result = calendar.add_working_days(local(friday), days)
    assert result == due(nth_working_day_after(friday, days))


@pytest.mark.parametrize("offset", [-3, -2, -1])  # Friday, Saturday, Sunday
def test_weekends_are_skipped(calendar, offset):
    monday = quiet_monday(2026)
    assert calendar.add_working_days(local(monday + timedelta(days=offset)), 1) == due(monday)
    friday_next = monday + timedelta(days=4)
    assert calendar.add_working_days(local(monday - timedelta(days=3)), 5) == due(friday_next)


def test_is_working_day_for_every_day_of_2026(calendar):
    day = date(2026, 1, 1)
    while day.year == 2026:
        assert calendar.is_working_day(day) is working(day), day
        day += timedelta(days=1)


def test_holidays_are_not_working_days(calendar):
    weekday_holidays = [d for d in holidays.country_holidays("KH", years=2026) if d.weekday() < 5]
    assert weekday_holidays
    assert not any(calendar.is_working_day(d) for d in weekday_holidays)


def test_across_a_year_boundary(calendar):
    start = date(2026, 12, 28)
    expected = nth_working_day_after(start, 5)
    assert expected.year == 2027
    assert calendar.add_working_days(local(start), 5) == due(expected)
    assert calendar.working_days_between(local(start), due(expected)) == 5


def test_start_date_is_taken_in_phnom_penh(calendar):
    friday = friday_before_khmer_new_year(2026)
    thursday_evening_utc = datetime.combine(friday - timedelta(days=1), time(18), tzinfo=UTC)
    assert calendar.local_date(thursday_evening_utc) == friday  # already Friday, 01:00 local
    result = calendar.add_working_days(thursday_evening_utc, 1)
    assert result == due(nth_working_day_after(friday, 1))
    assert result != due(friday)


def test_zero_days_is_the_end_of_the_day_or_the_next_working_day(calendar):
    monday = quiet_monday(2026)
    assert calendar.add_working_days(local(monday), 0) == due(monday)
    assert calendar.add_working_days(local(monday - timedelta(days=1)), 0) == due(monday)


def test_naive_and_negative_input_are_refused(calendar):
    with pytest.raises(ValueError, match="aware"):
        calendar.add_working_days(datetime(2026, 4, 10, 9), 5)
    with pytest.raises(ValueError, match="zero or more"):
        calendar.add_working_days(local(date(2026, 4, 10)), -1)


def test_working_days_between_is_signed(calendar):
    friday = friday_before_khmer_new_year(2026)
    due_at = calendar.add_working_days(local(friday), 5)
    assert calendar.working_days_between(local(friday), due_at) == 5
    assert calendar.working_days_between(due_at, local(friday)) == -5
    assert calendar.working_days_between(due_at, due_at + timedelta(hours=5)) == 0


def test_overdue_by_working_days(calendar):
    monday = quiet_monday(2026)
    due_at = due(monday - timedelta(days=3))  # the Friday before
    assert calendar.working_days_between(due_at, local(monday + timedelta(days=1))) == 2


@pytest.mark.parametrize("days", [1, 5, 10, 20])
def test_between_undoes_add_for_every_start_in_2026(calendar, days):
    day = date(2026, 1, 1)
    while day.year == 2026:
        start = local(day, 8)
        assert calendar.working_days_between(start, calendar.add_working_days(start, days)) == days
        day += timedelta(days=1)


def test_holidays_are_looked_up_once_per_year(monkeypatch):
    calls: list[object] = []
    real = holidays.country_holidays

    def counting(country, years=None, **kwargs):
        calls.append(years)
        return real(country, years=years, **kwargs)

    monkeypatch.setattr(calendar_module.holidays, "country_holidays", counting)
    calendar_module.public_holidays.cache_clear()
    cal = WorkingCalendar()
    for offset in range(400):
        cal.is_working_day(date(2026, 1, 1) + timedelta(days=offset))
    assert sorted(calls) == [2026, 2027]


def _walked(calendar: WorkingCalendar, start: datetime, end: datetime) -> int:
    """Working days after start's local date up to end's, one day at a time."""
    first, last = calendar.local_date(start), calendar.local_date(end)
    sign = -1 if last < first else 1
    first, last = min(first, last), max(first, last)
    days = (first + timedelta(days=n) for n in range(1, (last - first).days + 1))
    return sign * sum(1 for day in days if calendar.is_working_day(day))


def test_working_days_between_counts_what_a_walk_day_by_day_counts():
    rng = random.Random(13)
    days_off = [date(2025, 6, 2), date(2026, 3, 7), date(2026, 3, 9), date(2027, 1, 4)]
    calendar = WorkingCalendar(days_off=days_off)
    origin = datetime(2024, 12, 20, 3, 0, tzinfo=UTC)
    for _ in range(400):
        start = origin + timedelta(hours=rng.uniform(0, 24 * 900))
        end = start + timedelta(hours=rng.uniform(-24 * 400, 24 * 400))
        assert calendar.working_days_between(start, end) == _walked(calendar, start, end)
    same = datetime(2026, 3, 4, 1, 0, tzinfo=UTC)
    assert calendar.working_days_between(same, same + timedelta(hours=5)) == 0
