"""The participants' pages and API: the web and notification fixtures, and a closed case."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import holidays
import pytest

from tests.notifications.conftest import outbox_rows, smtp  # noqa: F401  (fixtures)

# The browser fixtures stay in tests/web (one chromium per run): the browser test of these
# pages is tests/web/test_web_public_browser.py.
from tests.web.conftest import client, login  # noqa: F401  (fixtures)
from tracker.services.transitions import fire_trigger

LOGGED_AT = datetime(2026, 3, 4, 2, 0, tzinfo=UTC)  # Wednesday 4 March, 09:00 in Phnom Penh
CLOSED_AT = datetime(2026, 4, 1, 3, 0, tzinfo=UTC)  # Wednesday 1 April, 10:00 in Phnom Penh
INTERNAL = {
    "analysis": "Payroll shows deductions without payment.",
    "referral": "Inspectors know this employer well.",
    "resolution": "Internal: the employer is the minister's cousin.",
}
PUBLIC_ANSWER = "The employer paid the missing contributions for all 40 workers."


def cambodian_working_days(start: date, end: date) -> int:
    """Working days after ``start`` up to ``end``, straight from the holidays package."""
    days_off = holidays.country_holidays("KH", years=range(start.year, end.year + 1))
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += day.weekday() < 5 and day not in days_off
    return count


def thirty_working_days_after(start: date) -> date:
    """The 30th working day after ``start``, straight from the holidays package."""
    days_off = holidays.country_holidays("KH", years=range(start.year, start.year + 2))
    day, left = start, 30
    while left:
        day += timedelta(days=1)
        left -= day.weekday() < 5 and day not in days_off
    return day


@pytest.fixture
def closed_case(make_case, officer, agency, agency_user, forum):
    """A case of the forum logged, analysed, referred, answered and closed as resolved."""
    logged = make_case(now=LOGGED_AT, raised_by_phone="012 999 888", forum_id=forum.id)
    ref = logged.case.reference
    steps = [
        ("analyse", {"owner_id": officer.id, "note": INTERNAL["analysis"]}, officer),
        ("refer", {"agency_id": agency.id, "note": INTERNAL["referral"]}, officer),
        ("respond", {"response": "Contributions will be paid."}, agency_user),
    ]
    for hours, (trigger, data, actor) in enumerate(steps, start=1):
        fire_trigger(actor, ref, trigger, data, now=LOGGED_AT + timedelta(days=hours))
    close = {
        "outcome": "resolved",
        "resolution": INTERNAL["resolution"],
        "resolution_public": PUBLIC_ANSWER,
    }
    fire_trigger(officer, ref, "close", close, now=CLOSED_AT)
    return logged
