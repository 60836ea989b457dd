"""Fire a workflow trigger on a case: check, change state, set the deadline, record, commit."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import select

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
from tracker.services.referral_answers import ANSWERED_ALREADY, Answer, choose_referral
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
    given = dict(data or {})
    data = _with_case_defaults(case, transition, given)
    with _named_as_given(transition, given):
        new_state = _check_with_engine(actor, case, trigger, data)
        assert transition is not None  # the engine knows the trigger
        values = checked_values(transition, data, actor=actor, case=case)
    answer = _answer(actor, case, transition, values)
    if answer is not None and answer.partial:
        new_state = case.state  # the last open referral's answer moves the case on
    now = now or now_utc()
    from_state = case.state
    # Look everything up before touching the case: a query after a change would flush it early,
    # and every flush of a changed case is one more UPDATE (and version) of its row.
    agency_due_at = _agency_due_at(case, new_state, now, values)
    context = EffectContext(
        case=case,
        actor=actor,
        values=values,
        now=now,
        remote_addr=remote_addr,
        calendar=working_calendar(),
        from_state=from_state,
        previous_due_at=case.due_at,
        due_at=_due_at(case, transition, new_state, now, agency_due_at, answer),
        referrals=list(case.referrals),
        agency_due_at=agency_due_at,
        answer=answer,
    )
    entered = case.state_entered_at  # of from_state: its stay ends now
    with unit_of_work():
        if answer is None or not answer.partial:
            case.state = new_state
            case.state_entered_at = now
        case.updated_at = now
        case.due_at = context.due_at
        for effect in transition.effects:
            EFFECTS[effect](context)
        _record(context, trigger, transition, new_state, entered)
    return case


def _record(
    context: EffectContext,
    trigger: str,
    transition: Transition,
    new_state: str,
    entered: datetime | None,
) -> None:
    """The timeline entry: a transition (with the stay in the state it leaves), or the answer
    of one of several open referrals."""
    partial = context.answer is not None and context.answer.partial
    stay = None if partial or entered is None else (context.now - entered).total_seconds()
    data = _audit_data(transition, context.values)
    if context.answer is not None and context.answer.referral is not None:
        data["agency_id"] = context.answer.referral.agency_id
        data["referral_id"] = context.answer.referral.id
    record_event(
        context.case,
        "answered" if partial else "transition",
        context.actor,
        context.now,
        trigger=trigger,
        from_state=context.from_state,
        to_state=new_state,
        public=not partial,
        note=event_note(transition, context.values),
        data=data,
        remote_addr=context.remote_addr,
        stay_seconds=stay,
    )


def _answer(
    actor: User, case: Case, transition: Transition, values: dict[str, Any]
) -> Answer | None:
    """For a trigger that answers a referral: which one, and whether others stay open."""
    if "answer_referral" not in transition.effects:
        return None
    try:
        return choose_referral(actor, case, values)
    except ValueError as exc:
        raise ValidationFailed(str(exc), {"agency_id": [str(exc)]}) from exc


def event_note(transition: Transition, values: Mapping[str, Any]) -> str:
    """The event's note: the first text field given (the definition orders them)."""
    field = transition.note_field(values)
    return values[field.name] if field else ""


@contextmanager
def _named_as_given(transition: Transition | None, given: Mapping[str, Any]) -> Iterator[None]:
    """Name a list field's errors as the caller named it (``agency_id`` for one agency)."""
    singles = {
        spec.name: spec.single
        for spec in (transition.fields.values() if transition else ())
        if spec.single in given and spec.name not in given
    }
    try:
        yield
    except ValidationFailed as exc:
        if not singles:
            raise
        errors = {singles.get(name, name): messages for name, messages in exc.errors.items()}
        raise ValidationFailed(exc.detail, errors) from exc


def _agency_due_at(
    case: Case, state: str, now: datetime, values: Mapping[str, Any]
) -> dict[int, datetime | None]:
    """Each agency a trigger refers the case to: its own deadline in the new state."""
    return {
        agency.id: due_at_for(case.workflow, state, now, agency)
        for agency in values.get("agency_ids", ())
    }


def _due_at(
    case: Case,
    transition: Transition,
    state: str,
    now: datetime,
    agency_due_at: Mapping[int, datetime | None],
    answer: Answer | None,
) -> datetime | None:
    """The deadline in the new state: a resumed case gets back the working days it had left;
    while referrals are open, the earliest of their deadlines."""
    if "resume" in transition.effects and case.held_working_days is not None:
        return working_calendar().add_working_days(now, case.held_working_days)
    if answer is not None and answer.partial:
        return _earliest(r.due_at for r in answer.still_open)
    if agency_due_at:
        return _earliest(agency_due_at.values())
    return due_at_for(case.workflow, state, now, None)


def _earliest(moments: Iterable[datetime | None]) -> datetime | None:
    """The earliest of some deadlines (None: none of them has one)."""
    return min((m for m in moments if m is not None), default=None)


def _with_case_defaults(
    case: Case, transition: Transition | None, data: dict[str, Any]
) -> dict[str, Any]:
    """Fields a trigger needs that the case already has count as given; texts are trimmed."""
    fields = transition.fields if transition else {}
    if transition is not None:
        data = transition.gathered(data)
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
            if any(r.agency_id == actor.agency_id for r in case.referrals):
                raise PermissionDenied(ANSWERED_ALREADY)
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
    if spec.type == "agencies":
        return _agencies(value)
    if spec.type == "category":
        try:
            return clean_case_fields({"category": value}, creating=False)["category"]
        except ValidationFailed as exc:
            raise ValueError(" ".join(exc.errors["category"])) from exc
    if spec.type == "case":
        return _open_case(spec, value, actor, case)
    return value


def _agencies(ids: list[int]) -> list[Agency]:
    """The agencies named by id, in the order given, each once; ValueError names a wrong one."""
    ids = list(dict.fromkeys(ids))
    found = {a.id: a for a in db.session.scalars(select(Agency).where(Agency.id.in_(ids)))}
    missing = [str(i) for i in ids if i not in found]
    if missing and len(ids) == 1:
        raise ValueError("No such agency.")
    if missing:
        raise ValueError(f"No such agency: {', '.join(missing)}.")
    return [found[i] for i in ids]


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


def _plain(value: Any) -> Any:
    """A value as the event keeps it: records by id (lists of records as lists of ids)."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.id if hasattr(value, "id") else value


def _audit_data(transition: Transition, values: Mapping[str, Any]) -> dict[str, Any]:
    """The data the trigger asked for, as plain values for the event (records by id)."""
    audit = {name: None for name in transition.required}
    for name, value in values.items():
        # Records by id (lists as lists of ids); a case by its reference (people read it on
        # both timelines).
        audit[name] = getattr(value, "reference", None) or _plain(value)
    return audit
