"""Admin use cases for deadlines: working days per workflow state, and extra days off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from tracker import access
from tracker.extensions import db
from tracker.models import Agency, DayOff, DeadlinePolicy, User
from tracker.services.admin import calendar_date, text, whole_number
from tracker.services.audit import record_admin_action
from tracker.services.deadlines import deadlines_in_force
from tracker.services.errors import NotFound, PermissionDenied, ValidationFailed
from tracker.services.unit_of_work import unit_of_work
from tracker.workflow_registry import engine_for, registry

POLICY_DAYS = whole_number(1, 365)
DAY_OFF_NAME = text(200, required=True)


@dataclass(frozen=True)
class StateDeadline:
    """One state's deadline: the workflow default and the working days in force now."""

    workflow: str
    state: str
    default: int | str | None
    in_force: int | str | None

    @property
    def editable(self) -> bool:
        """Tell whether an admin may set working days for this state here."""
        return isinstance(self.default, int)


@dataclass(frozen=True)
class DeadlineOverview:
    """What the deadlines page shows: per-state deadlines, agencies and the days off."""

    states: list[StateDeadline]
    agencies: list[Agency]
    days_off: list[DayOff]


def _require_admin(actor: User) -> None:
    if not access.is_admin(actor):
        raise PermissionDenied("Only administrators may manage this.")


def deadline_overview(actor: User) -> DeadlineOverview:
    """Every workflow state's deadline, the agencies' response times and the days off."""
    _require_admin(actor)
    states = []
    for name in registry().names():
        defaults = engine_for(name).workflow.deadlines
        for state, in_force in deadlines_in_force(name).items():
            states.append(StateDeadline(name, state, defaults[state], in_force))
    return DeadlineOverview(
        states=states,
        agencies=list(db.session.scalars(select(Agency).order_by(Agency.code))),
        days_off=list(db.session.scalars(select(DayOff).order_by(DayOff.day.desc()))),
    )


def _invalid(errors: dict[str, list[str]]) -> ValidationFailed:
    return ValidationFailed("Some fields are missing or invalid.", errors)


def _editable_state(workflow: Any, state: Any) -> tuple[str, str]:
    if workflow not in registry():
        raise _invalid({"workflow": ["Unknown workflow."]})
    default = engine_for(workflow).workflow.deadlines.get(state, None)
    if not isinstance(default, int):
        raise _invalid({"state": ["This state has no working days to set here."]})
    return workflow, state


def set_deadline_policy(
    actor: User, workflow: Any, state: Any, working_days: Any, *, ip: str | None = None
) -> DeadlinePolicy | None:
    """Set the working days of a workflow state (blank: back to the default); commit.

    Cases entering the state afterwards get the new deadline; cases already in it keep theirs.
    """
    _require_admin(actor)
    workflow, state = _editable_state(workflow, state)
    days = None
    if working_days not in (None, ""):
        try:
            days = POLICY_DAYS(working_days)
        except ValueError as exc:
            raise _invalid({"working_days": [str(exc)]}) from None
    policy = db.session.get(DeadlinePolicy, (workflow, state))
    with unit_of_work():
        if days is None:
            if policy is not None:
                db.session.delete(policy)
            policy = None
        elif policy is None:
            policy = DeadlinePolicy(workflow=workflow, state=state, working_days=days)
            db.session.add(policy)
        else:
            policy.working_days = days
        record_admin_action(
            actor,
            "deadline_changed",
            f"{workflow}.{state}",
            ip=ip,
            details={"working_days": days},
        )
    return policy


def add_day_off(actor: User, day: Any, name: Any, *, ip: str | None = None) -> DayOff:
    """Count one more day as a holiday everywhere (due dates, reminders, overdue days); commit."""
    _require_admin(actor)
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for field, clean, value in (
        ("day", calendar_date, day),
        ("name", text(200, required=True), name),
    ):
        try:
            cleaned[field] = clean(value)
        except ValueError as exc:
            errors[field] = [str(exc)]
    if "day" in cleaned and db.session.get(DayOff, cleaned["day"]) is not None:
        errors["day"] = ["This day is already a day off."]
    if errors:
        raise _invalid(errors)
    row = DayOff(day=cleaned["day"], name=cleaned["name"], created_by_id=actor.id)
    with unit_of_work():
        db.session.add(row)
        record_admin_action(
            actor, "day_off_added", row.day.isoformat(), ip=ip, details={"name": row.name}
        )
    return row


def remove_day_off(actor: User, day: date, *, ip: str | None = None) -> None:
    """Make a day off a working day again (for a day entered by mistake); commit."""
    _require_admin(actor)
    row = db.session.get(DayOff, day)
    if row is None:
        raise NotFound("Not found")
    with unit_of_work():
        db.session.delete(row)
        record_admin_action(actor, "day_off_removed", day.isoformat(), ip=ip)
