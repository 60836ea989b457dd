"""Deadlines in Cambodian working days, checked against the holidays calendar itself."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

from tests.support import trigger_data
from tracker.extensions import db
from tracker.models import DeadlinePolicy
from tracker.services.transitions import fire_trigger

PHNOM_PENH = ZoneInfo("Asia/Phnom_Penh")


def khmer_new_year(year: int) -> date:
    """The first day of Khmer New Year, found by name in the holidays calendar."""
    calendar = holidays.country_holidays("KH", years=year, language="en_US")
    return min(day for day, name in calendar.items() if "khmer new year" in name.lower())


def nth_working_day_after(start: date, n: int) -> date:
    """Step day by day, skipping weekends and Cambodian public holidays."""
    calendar = holidays.country_holidays("KH", years=[start.year, start.year + 1])
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in calendar:
            counted += 1
    return day


def local_day(moment: datetime) -> date:
    return moment.astimezone(PHNOM_PENH).date()


def test_case_logged_on_friday_before_khmer_new_year(make_case):
    new_year = khmer_new_year(2026)
    friday = new_year - timedelta(days=(new_year.weekday() - 4) % 7 or 7)
    assert friday.weekday() == 4
    logged_at = datetime.combine(friday, time(10, 0), PHNOM_PENH).astimezone(UTC)
    case = make_case(now=logged_at).case
    expected = nth_working_day_after(friday, 5)
    assert expected - friday > timedelta(days=7)  # the holidays really pushed it back
    assert local_day(case.due_at) == expected


def test_referral_uses_the_agency_response_days(case_in_state, officer, other_agency, now):
    case = case_in_state("analysed")
    fire_trigger(
        officer,
        case.reference,
        "refer",
        trigger_data("refer", officer.id, other_agency.id),
        now=now,
    )
    assert local_day(case.due_at) == nth_working_day_after(local_day(now), 15)


def test_admin_policy_overrides_the_default(make_case, now):
    db.session.add(DeadlinePolicy(workflow="case", state="logged", working_days=2))
    db.session.commit()
    case = make_case(now=now).case
    assert local_day(case.due_at) == nth_working_day_after(local_day(now), 2)


def test_closed_cases_have_no_deadline(case_in_state):
    assert case_in_state("closed").due_at is None
