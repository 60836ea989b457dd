"""When a case is due: working days in Phnom Penh per state, from the policy and the agency."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from flask import current_app

from tracker.extensions import db
from tracker.models import Agency, DeadlinePolicy
from tracker.workflow_registry import engine_for
from workflows import WorkingCalendar

DEFAULT_AGENCY_RESPONSE_DAYS = 20


@lru_cache(maxsize=4)
def _calendar(timezone: str) -> WorkingCalendar:
    return WorkingCalendar(timezone)


def working_calendar() -> WorkingCalendar:
    """The working-day calendar of the configured time zone (Asia/Phnom_Penh by default)."""
    return _calendar(current_app.config.get("TIMEZONE", "Asia/Phnom_Penh"))


def allowed_working_days(workflow: str, state: str, agency: Agency | None) -> int | None:
    """Working days allowed in a state: the agency's for referrals, else policy or default."""
    default = engine_for(workflow).deadline_days(state)
    if default == "agency" and agency is not None:
        return agency.response_days
    policy = db.session.get(DeadlinePolicy, (workflow, state))
    if policy is not None:
        return policy.working_days
    if default == "agency":
        return DEFAULT_AGENCY_RESPONSE_DAYS
    return default


def due_at_for(
    workflow: str, state: str, entered_at: datetime, agency: Agency | None
) -> datetime | None:
    """The moment a case entering ``state`` at ``entered_at`` is due, or None (no deadline)."""
    days = allowed_working_days(workflow, state, agency)
    if days is None:
        return None
    return working_calendar().add_working_days(entered_at, days)
