"""Fire a workflow trigger on a case: check, change state, set the deadline, record, commit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tracker import access
from tracker.audit import record_event
from tracker.extensions import db
from tracker.models import Agency, Case, User, now_utc
from tracker.services.case_fields import clean_case_fields
from tracker.services.cases import check_version, eligible_owner, get_case
from tracker.services.deadlines import due_at_for
from tracker.services.effects import EFFECTS, EffectContext
from tracker.services.errors import Conflict, PermissionDenied, ValidationFailed
from tracker.services.links import other_case
from tracker.services.text_checks import CONTROL_MESSAGE, has_control_characters
from tracker.services.unit_of_work import unit_of_work
from tracker.workflow_registry import engine_for, is_open, workflow_named
from tracker.working_days import working_calendar
from workflows import (
    Field,
    MissingFields,
    RoleNotAllowed,
    Transition,
    TriggerNotAllowed,
    UnknownTrigger,
)


def available_triggers(actor: User, case: Case) -> list[str]:
    """The triggers this actor may fire on this case now."""
    if not access.acts_for_case_agency(actor, case):
        return []
    return engine_for(case.workflow).allowed_triggers(case.state, actor.role)


def fire_trigger(
    actor: User,
    reference: str,
    trigger: str,
    data: Mapping[str, Any] | None = None,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
    remote_addr: str | None = None,
) -> Case:
    """Move a case along its workflow; the state, event, deadline and emails commit together."""
    case = get_case(actor, reference)
    check_version(case, expected_version)
    transition = workflow_named(case.workflow).transition(trigger)
    data = _with_case_defaults(case, transition, dict(data or {}))
    new_state = _check_with_engine(actor, case, trigger, data)
    assert transition is not None  # the engine knows the trigger
    values = checked_values(transition, data, actor=actor, case=case)
    now = now or now_utc()
    from_state = case.state
    # Look everything up before touching the case: a query after a change would flush it early,
    # and every flush of a changed case is one more UPDATE (and version) of its row.
    due_at = _due_at(case, transition, new_state, now, values)
    context = EffectContext(
        case=case,
        actor=actor,
        values=values,
        now=now,
        remote_addr=remote_addr,
        calendar=working_calendar(),
        from_state=from_state,
        previous_due_at=case.due_at,
        due_at=due_at,
        referrals=list(case.referrals),
    )
    with unit_of_work():
        case.state = new_state
        case.state_entered_at = now
        case.updated_at = now
        case.due_at = due_at
        for effect in transition.effects:
            EFFECTS[effect](context)
        record_event(
            case,
            "transition",
            actor,
            now,
            trigger=trigger,
            from_state=from_state,
            to_state=new_state,
            public=True,
            note=event_note(transition, values),
            data=_audit_data(transition, values),
            remote_addr=remote_addr,
        )
    return case


def event_note(transition: Transition, values: Mapping[str, Any]) -> str:
    """The event's note: the first text field given (the definition orders them)."""
    field = transition.note_field(values)
    return values[field.name] if field else ""


def _due_at(
    case: Case, transition: Transition, state: str, now: datetime, values: Mapping[str, Any]
) -> datetime | None:
    """The deadline in the new state: a resumed case gets back the working days it had left."""
    if "resume" in transition.effects and case.held_working_days is not None:
        return working_calendar().add_working_days(now, case.held_working_days)
    return due_at_for(case.workflow, state, now, values.get("agency_id"))


def _with_case_defaults(
    case: Case, transition: Transition | None, data: dict[str, Any]
) -> dict[str, Any]:
    """Fields a trigger needs that the case already has count as given; texts are trimmed."""
    fields = transition.fields if transition else {}
    for name in ("owner_id", "category"):
        if name in fields and data.get(name) in (None, "") and getattr(case, name) is not None:
            data[name] = getattr(case, name)
    for name, spec in fields.items():
        if spec.type == "text" and isinstance(data.get(name), str):
            data[name] = data[name].strip()
    return data


def _check_with_engine(actor: User, case: Case, trigger: str, data: Mapping[str, Any]) -> str:
    """Ask the workflow engine; translate its refusals into domain errors."""
    engine = engine_for(case.workflow)
    try:
        if not access.acts_for_case_agency(actor, case) and trigger in engine.allowed_triggers(
            case.state
        ):
            raise PermissionDenied("Only the agency the case is referred to may answer it.")
        return engine.fire(case.state, trigger, actor.role, data, held_state=case.held_state)
    except UnknownTrigger as exc:
        raise ValidationFailed(str(exc), {"trigger": [str(exc)]}) from exc
    except TriggerNotAllowed as exc:
        raise Conflict(str(exc), allowed=available_triggers(actor, case), state=case.state) from exc
    except RoleNotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except MissingFields as exc:
        raise ValidationFailed(str(exc), exc.errors) from exc


def _check_value(spec: Field, value: Any, actor: User | None, case: Case | None) -> Any:
    """Resolve one given value of a field against the database; ValueError says what is wrong."""
    if spec.type == "text":
        if has_control_characters(value, multiline=True):
            raise ValueError(CONTROL_MESSAGE)
        return value
    if spec.type == "user":
        try:
            return eligible_owner(value)
        except ValidationFailed as exc:
            raise ValueError(" ".join(next(iter(exc.errors.values())))) from exc
    if spec.type == "agency":
        agency = db.session.get(Agency, value)
        if agency is None:
            raise ValueError("No such agency.")
        return agency
    if spec.type == "category":
        try:
            return clean_case_fields({"category": value}, creating=False)["category"]
        except ValidationFailed as exc:
            raise ValueError(" ".join(exc.errors["category"])) from exc
    if spec.type == "case":
        return _open_case(spec, value, actor, case)
    return value


def _open_case(spec: Field, value: Any, actor: User | None, case: Case | None) -> Case:
    """Another open case the actor may see, named by its reference."""
    if actor is None or case is None:
        raise ValueError("Name the other case.")
    try:
        other = other_case(actor, case, value, spec.name)
    except ValidationFailed as exc:
        raise ValueError(" ".join(exc.errors[spec.name])) from exc
    if not is_open(other.state):
        raise ValueError("That case is closed; name an open case.")
    return other


def checked_values(
    transition: Transition,
    data: Mapping[str, Any],
    *,
    actor: User | None = None,
    case: Case | None = None,
) -> dict[str, Any]:
    """The trigger's given fields, checked and resolved (users, agencies, cases as records)."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for name, spec in transition.fields.items():
        if data.get(name) in (None, ""):
            continue
        try:
            values[name] = _check_value(spec, data[name], actor, case)
        except ValueError as exc:
            errors[name] = [str(exc)]
    if errors:
        raise ValidationFailed("Some fields are missing or invalid.", errors)
    return values


def _audit_data(transition: Transition, values: Mapping[str, Any]) -> dict[str, Any]:
    """The data the trigger asked for, as plain values for the event (records by id)."""
    audit = {name: None for name in transition.required}
    for name, value in values.items():
        # Records by id; a case by its reference (people read it on both timelines).
        audit[name] = getattr(value, "reference", None) or getattr(value, "id", value)
    return audit
