"""The time rules, in one place: due soon, this week, overdue repetition, escalation, defaults.

Every page, report, reminder and digest that shows or acts on a deadline asks this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from workflows.calendar import WorkingCalendar
from workflows.spec import AGENCY_DEADLINE

# Due within this many working days: the "due soon" chip and the owner's reminder.
DUE_SOON_WORKING_DAYS = 2
# Overdue: a first notice, then one more every this many working days while still overdue.
OVERDUE_REPEAT_WORKING_DAYS = 5
# Overdue by more than this many working days: the admins are told (escalation).
ESCALATION_AFTER_WORKING_DAYS = 10
# An agency's response time when none is given for it.
DEFAULT_AGENCY_RESPONSE_DAYS = 20


@dataclass(frozen=True)
class Week:
    """An ISO week in the calendar's time zone: Monday 00:00 up to the next Monday 00:00."""

    year: int
    number: int
    start: datetime
    end: datetime


def week_of(now: datetime, calendar: WorkingCalendar) -> Week:
    """The ISO week (Monday to Sunday, local time) that ``now`` falls in."""
    today = calendar.local_date(now)
    monday = today - timedelta(days=today.weekday())
    start = datetime.combine(monday, time(0), calendar.tz)
    year, number, _ = today.isocalendar()
    return Week(year, number, start, start + timedelta(days=7))


def past_week_start(now: datetime) -> datetime:
    """Where a digest's "new" and "changed this week" begin: the 7 days before it is made."""
    return now - timedelta(days=7)


def is_overdue(due_at: datetime | None, now: datetime) -> bool:
    """Tell whether a deadline has passed."""
    return due_at is not None and due_at < now


def due_soon_until(now: datetime, calendar: WorkingCalendar) -> datetime:
    """The latest deadline that counts as due soon at ``now``."""
    return calendar.add_working_days(now, DUE_SOON_WORKING_DAYS)


def is_due_soon(due_at: datetime | None, now: datetime, calendar: WorkingCalendar) -> bool:
    """Tell whether a deadline is not passed yet and within the due-soon working days."""
    return due_at is not None and now <= due_at <= due_soon_until(now, calendar)


def is_due_this_week(
    due_at: datetime | None,
    now: datetime,
    calendar: WorkingCalendar,
    week_end: datetime | None = None,
) -> bool:
    """Tell whether a deadline is not passed yet and falls in this ISO week (``week_end``: the
    week's end already worked out, as ``this_week_end`` gives it, when checking many)."""
    end = week_end if week_end is not None else this_week_end(now, calendar)
    return due_at is not None and now <= due_at < end


def this_week_end(now: datetime, calendar: WorkingCalendar) -> datetime:
    """When the ISO week of ``now`` ends, in UTC (compared with UTC deadlines cheaply)."""
    return week_of(now, calendar).end.astimezone(UTC)


def overdue_working_days(due_at: datetime, now: datetime, calendar: WorkingCalendar) -> int:
    """Working days a deadline is past at ``now`` (0 on the day it fell due)."""
    return max(calendar.working_days_between(due_at, now), 0)


def overdue_period(days_overdue: int) -> int:
    """Which overdue notice is due: 0 for days 0–5, 1 for days 6–10, 2 for 11–15, …"""
    return max(days_overdue - 1, 0) // OVERDUE_REPEAT_WORKING_DAYS


def escalates(days_overdue: int) -> bool:
    """Tell whether a case this many working days overdue is escalated to the admins."""
    return days_overdue > ESCALATION_AFTER_WORKING_DAYS


def working_days_allowed(
    default: int | str | None, policy: int | None, agency_days: int | None
) -> int | None:
    """Working days allowed in a state: the agency's for agency states, else policy over default."""
    if default == AGENCY_DEADLINE:
        return agency_days if agency_days is not None else DEFAULT_AGENCY_RESPONSE_DAYS
    if default is None:
        return None
    return policy if policy is not None else int(default)
