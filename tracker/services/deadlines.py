"""When a case is due: the one place that reads the deadline policy, agency times and days off."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Agency, DeadlinePolicy
from tracker.workflow_registry import engine_for
from tracker.working_days import working_calendar
from workflows.time_rules import working_days_allowed


def policy_days(workflow: str, state: str) -> int | None:
    """The admin's working days for a state, or None when the workflow default applies."""
    policy = db.session.get(DeadlinePolicy, (workflow, state))
    return policy.working_days if policy is not None else None


def allowed_working_days(workflow: str, state: str, agency: Agency | None) -> int | None:
    """Working days allowed in a state: the agency's for referrals, else policy over default."""
    default = engine_for(workflow).deadline_days(state)
    return working_days_allowed(
        default,
        policy_days(workflow, state),
        agency.response_days if agency is not None else None,
    )


def deadlines_in_force(workflow: str) -> dict[str, int | str | None]:
    """Per state: the working days now in force, "agency" (the agency's time) or None."""
    defaults = engine_for(workflow).workflow.deadlines
    policies = {
        row.state: row.working_days
        for row in db.session.scalars(
            select(DeadlinePolicy).where(DeadlinePolicy.workflow == workflow)
        )
    }
    return {
        state: default
        if isinstance(default, str) or default is None
        else working_days_allowed(default, policies.get(state), None)
        for state, default in defaults.items()
    }


def due_at_for(
    workflow: str, state: str, entered_at: datetime, agency: Agency | None
) -> datetime | None:
    """The moment a case entering ``state`` at ``entered_at`` is due, or None (no deadline)."""
    days = allowed_working_days(workflow, state, agency)
    if days is None:
        return None
    return working_calendar().add_working_days(entered_at, days)
