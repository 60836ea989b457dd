"""When a case is due: working days in Phnom Penh per state, from the policy and the agency."""

from __future__ import annotations

from datetime import datetime

from tracker.extensions import db
from tracker.models import Agency, DeadlinePolicy
from tracker.workflow_registry import engine_for
from tracker.working_days import working_calendar

DEFAULT_AGENCY_RESPONSE_DAYS = 20


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
