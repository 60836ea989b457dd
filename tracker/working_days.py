"""The working-day calendar: the configured time zone, public holidays and the admins' days off.

Shared by services and notifications (neither imports the other).
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import DayOff
from workflows import WorkingCalendar

_CALENDAR_KEY = "working_calendar"


def working_calendar() -> WorkingCalendar:
    """The working-day calendar (configured time zone, public holidays and the days off)."""
    # Read once per database transaction: a day off committed by any process is seen by the
    # next transaction, and a page listing many deadlines reads the days off only once.
    session = db.session()
    transaction = session.get_transaction()
    cached = session.info.get(_CALENDAR_KEY)
    if transaction is not None and cached is not None and cached[0] is transaction:
        return cached[1]
    days_off = session.scalars(select(DayOff.day)).all()
    calendar = WorkingCalendar(current_app.config["TIMEZONE"], days_off=days_off)
    session.info[_CALENDAR_KEY] = (session.get_transaction(), calendar)
    return calendar


def response_working_days(referred_at: datetime, answered_at: datetime,
                          calendar: WorkingCalendar) -> int:  # fmt: skip
    """An agency's response time: working days after the day of referral up to the day of the
    answer (0 when answered the same day), under the calendar of the day it is recorded."""
    return max(0, calendar.working_days_between(referred_at, answered_at))
