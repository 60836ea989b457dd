"""The working-day calendar of the configured time zone, shared by services and notifications."""

from __future__ import annotations

from functools import lru_cache

from flask import current_app

from workflows import WorkingCalendar


@lru_cache(maxsize=4)
def _calendar(timezone: str) -> WorkingCalendar:
    return WorkingCalendar(timezone)


def working_calendar() -> WorkingCalendar:
    """The working-day calendar of the configured time zone (Asia/Phnom_Penh by default)."""
    return _calendar(current_app.config.get("TIMEZONE", "Asia/Phnom_Penh"))
