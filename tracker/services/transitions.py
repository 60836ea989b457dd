"""Fire a workflow trigger on a case: check, change state, set the deadline, record, commit."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select

from tracker import access
from tracker.extensions import db
from tracker.models import Agency, Case, Referral, User, now_utc
from tracker.services.case_fields import clean_case_fields
from tracker.services.cases import check_version, eligible_owner, get_case, record_assignment
from tracker.services.deadlines import due_at_for
from tracker.services.errors import Conflict, PermissionDenied, ValidationFailed
from tracker.services.events import record_event
from tracker.services.text_checks import control_character_errors
from tracker.services.unit_of_work import unit_of_work
from workflows import (
    MissingFields,
    RoleNotAllowed,
    TriggerNotAllowed,
    UnknownTrigger,
    engine_for,
)

NOTE_FIELDS = ("note", "response", "reason", "resolution")
TEXT_LIMIT = 20000


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
    data = _with_case_defaults(case, dict(data or {}))
    new_state = _check_with_engine(actor, case, trigger, data)
    values = _checked_values(trigger, data)
    now = now or now_utc()
    from_state = case.state
    previous_owner = case.owner_id
    owner = values.get("owner_id")
    # Look everything up before touching the case: a query after a change would flush it early,
    # and every flush of a changed case is one more UPDATE (and version) of its row.
    due_at = due_at_for(case.workflow, new_state, now, values.get("agency_id"))
    with unit_of_work():
        if owner is not None:
            case.owner_id = owner.id
        for name in ("category", "outcome", "resolution"):
            if name in values:
                setattr(case, name, values[name])
        if "agency_id" in values:
            case.agency_id = values["agency_id"].id
        case.state = new_state
        case.state_entered_at = now
        case.updated_at = now
        case.due_at = due_at
        _EFFECTS.get(trigger, _no_effect)(case, actor, data, now)
        if owner is not None and owner.id != previous_owner:
            record_assignment(case, previous_owner, owner, actor, now, remote_addr)
        record_event(
            case,
            "transition",
            actor,
            now,
            trigger=trigger,
            from_state=from_state,
            to_state=new_state,
            public=True,
            note=next((str(data[f]) for f in NOTE_FIELDS if data.get(f)), ""),
            data=_audit_data(case.workflow, trigger, data, values),
            remote_addr=remote_addr,
        )
    return case


def _with_case_defaults(case: Case, data: dict[str, Any]) -> dict[str, Any]:
    """Fields a trigger needs that the case already has count as given."""
    for name in ("owner_id", "category"):
        if data.get(name) in (None, "") and getattr(case, name) is not None:
            data[name] = getattr(case, name)
    for name in NOTE_FIELDS:
        if isinstance(data.get(name), str):
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
        return engine.fire(case.state, trigger, actor.role, data)
    except UnknownTrigger as exc:
        raise ValidationFailed(str(exc), {"trigger": [str(exc)]}) from exc
    except TriggerNotAllowed as exc:
        raise Conflict(str(exc), allowed=available_triggers(actor, case)) from exc
    except RoleNotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except MissingFields as exc:
        raise ValidationFailed(str(exc), exc.errors) from exc


def _checked_values(trigger: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Check the values a trigger sets on the case against the database."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for name in NOTE_FIELDS:
        if name in data and (not isinstance(data[name], str) or len(data[name]) > TEXT_LIMIT):
            errors[name] = [f"Must be text of at most {TEXT_LIMIT} characters."]
    errors.update(control_character_errors(data, NOTE_FIELDS))
    if trigger == "analyse":
        try:
            values["owner_id"] = eligible_owner(data.get("owner_id"))
        except ValidationFailed as exc:
            errors.update(exc.errors)
        try:
            values.update(clean_case_fields({"category": data.get("category")}, creating=False))
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if trigger == "refer":
        agency_id = data.get("agency_id")
        agency = db.session.get(Agency, agency_id) if isinstance(agency_id, int) else None
        if agency is None:
            errors["agency_id"] = ["No such agency."]
        values["agency_id"] = agency
    if trigger == "close":
        values["outcome"] = data.get("outcome")
        values["resolution"] = data.get("resolution")
    if errors:
        raise ValidationFailed("Some fields are missing or invalid.", errors)
    return values


def _audit_data(
    workflow: str, trigger: str, data: Mapping[str, Any], values: Mapping[str, Any]
) -> dict[str, Any]:
    """The data the trigger required, as plain values for the event."""
    transition = engine_for(workflow).workflow.transition(trigger)
    names = transition.required if transition else ()
    audit = {name: data.get(name) for name in names}
    for name, value in values.items():
        audit[name] = value.id if hasattr(value, "id") else value
    return audit


def _open_referral(case: Case, actor: User, data: Mapping[str, Any], now: datetime) -> None:
    db.session.add(
        Referral(
            case_id=case.id,
            agency_id=case.agency_id,
            note=data.get("note", ""),
            referred_at=now,
            referred_by_id=actor.id,
            due_at=case.due_at,
        )
    )


def _answer_referral(case: Case, actor: User, data: Mapping[str, Any], now: datetime) -> None:
    referral = db.session.scalar(
        select(Referral)
        .where(Referral.case_id == case.id, Referral.answered_at.is_(None))
        .order_by(Referral.referred_at.desc(), Referral.id.desc())
    )
    if referral is not None:
        referral.response = data.get("response")
        referral.answered_at = now
        referral.answered_by_id = actor.id


def _clear_outcome(case: Case, actor: User, data: Mapping[str, Any], now: datetime) -> None:
    case.outcome = None
    case.resolution = ""


def _no_effect(case: Case, actor: User, data: Mapping[str, Any], now: datetime) -> None:
    return None


# Effects beyond the state change, by trigger name; a workflow without these triggers needs none.
_EFFECTS: dict[str, Callable[[Case, User, Mapping[str, Any], datetime], None]] = {
    "refer": _open_referral,
    "respond": _answer_referral,
    "reopen": _clear_outcome,
}
