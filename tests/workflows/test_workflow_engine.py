"""The case workflow engine against a transition table written out here."""

from __future__ import annotations

import pytest

from tests.support import CASE_TABLE, MAY_FIRE, OPEN_STATES, STATES, TRIGGERS, next_state
from workflows import builtin_registry, engine_for
from workflows.case import OUTCOMES
from workflows.engine import (
    MissingFields,
    RoleNotAllowed,
    TriggerNotAllowed,
    UnknownState,
    UnknownTrigger,
    WorkflowEngine,
    WorkflowError,
)
from workflows.spec import load_workflow

ROLES = ("officer", "admin", "agency", "representative")

REQUIRED = {
    "analyse": {"owner_id", "category", "note"},
    "refer": {"agency_ids", "note"},
    "respond": {"response"},
    "close": {"outcome", "resolution"},
    "reopen": {"reason"},
    "hold": {"reason", "waiting_for"},
    "resume": {"note"},
    "merge": {"into"},
}
HELD_IN = "referred"  # where the cases on hold in these tests were held


def allowed_from(state: str) -> list[str]:
    """Return the triggers the table allows from `state`, in definition order."""
    return [trigger for trigger in TRIGGERS if (state, trigger) in CASE_TABLE]


def source_of(trigger: str) -> str:
    """Return one state the trigger may fire from, per the table."""
    return next(state for state, t in CASE_TABLE if t == trigger)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("trigger", TRIGGERS)
def test_every_state_trigger_pair(engine, valid_data, state, trigger):
    if (state, trigger) in CASE_TABLE:
        new = engine.fire(state, trigger, "officer", valid_data[trigger], held_state=HELD_IN)
        assert new == next_state(state, trigger, HELD_IN)
    else:
        with pytest.raises(TriggerNotAllowed) as caught:
            engine.fire(state, trigger, "officer", valid_data[trigger], held_state=HELD_IN)
        assert caught.value.allowed == allowed_from(state)
        assert caught.value.state == state
        assert f"'{trigger}'" in str(caught.value)
        for allowed in allowed_from(state):
            assert allowed in str(caught.value)


@pytest.mark.parametrize("state", STATES)
def test_allowed_triggers_follow_the_table(engine, state):
    assert engine.allowed_triggers(state) == allowed_from(state)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", STATES)
def test_allowed_triggers_for_a_role(engine, state, role):
    expected = [t for t in allowed_from(state) if role in MAY_FIRE[t]]
    assert engine.allowed_triggers(state, role) == expected


@pytest.mark.parametrize("role", [*ROLES, "superuser", ""])
@pytest.mark.parametrize("trigger", TRIGGERS)
def test_roles(engine, valid_data, trigger, role):
    state = source_of(trigger)
    if role in MAY_FIRE[trigger]:
        new = engine.fire(state, trigger, role, valid_data[trigger], held_state=HELD_IN)
        assert new == next_state(state, trigger, HELD_IN)
    else:
        with pytest.raises(RoleNotAllowed) as caught:
            engine.fire(state, trigger, role, valid_data[trigger])
        assert caught.value.role == role
        for allowed in MAY_FIRE[trigger]:
            assert allowed in caught.value.reason
        assert caught.value.reason in str(caught.value)


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_missing_fields_are_all_named_at_once(engine, trigger):
    with pytest.raises(MissingFields) as caught:
        engine.fire(source_of(trigger), trigger, "admin", {})
    assert set(caught.value.errors) == REQUIRED[trigger]
    verb = f"Required to {trigger}."
    assert all(messages == [verb] for messages in caught.value.errors.values())
    for name in REQUIRED[trigger]:
        assert name in str(caught.value)


@pytest.mark.parametrize("blank", [None, "", "   ", [], {}])
def test_blank_values_count_as_missing(engine, valid_data, blank):
    data = {**valid_data["analyse"], "note": blank}
    with pytest.raises(MissingFields) as caught:
        engine.fire("logged", "analyse", "officer", data)
    assert caught.value.errors == {"note": ["Required to analyse."]}


def test_extra_fields_are_ignored(engine, valid_data):
    data = {**valid_data["respond"], "unrelated": None}
    assert engine.fire("referred", "respond", "agency", data) == "responded"


@pytest.mark.parametrize("outcome", ["fixed", "RESOLVED", " resolved", 3])
def test_invalid_outcome_lists_the_outcomes(engine, valid_data, outcome):
    data = {**valid_data["close"], "outcome": outcome}
    with pytest.raises(MissingFields) as caught:
        engine.fire("responded", "close", "officer", data)
    assert list(caught.value.errors) == ["outcome"]
    (message,) = caught.value.errors["outcome"]
    for name in OUTCOMES:
        assert name in message


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_every_outcome_closes(engine, valid_data, outcome):
    data = {**valid_data["close"], "outcome": outcome}
    assert engine.fire("analysed", "close", "admin", data) == "closed"


def test_missing_outcome_is_required_not_invalid(engine):
    with pytest.raises(MissingFields) as caught:
        engine.fire("analysed", "close", "officer", {"resolution": "done"})
    assert caught.value.errors == {"outcome": ["Required to close."]}


def test_checks_run_in_order(engine):
    with pytest.raises(UnknownTrigger) as unknown:
        engine.fire("logged", "escalate", "representative", {})
    assert unknown.value.allowed == ["analyse", "hold", "merge"]
    assert "escalate" in str(unknown.value)
    with pytest.raises(TriggerNotAllowed):
        engine.fire("logged", "close", "representative", {})
    with pytest.raises(RoleNotAllowed):
        engine.fire("logged", "analyse", "representative", {})


def test_errors_share_a_base_class():
    for error in (UnknownTrigger, TriggerNotAllowed, RoleNotAllowed, MissingFields, UnknownState):
        assert issubclass(error, WorkflowError)


def test_unknown_state_is_refused(engine, valid_data):
    with pytest.raises(UnknownState, match="'archived'"):
        engine.fire("archived", "reopen", "officer", valid_data["reopen"])
    with pytest.raises(UnknownState):
        engine.allowed_triggers("archived")


def test_a_full_life_with_a_second_referral(engine, valid_data):
    state = "logged"
    path = ["analyse", "refer", "respond", "refer", "respond", "close", "reopen", "close"]
    for trigger in path:
        state = engine.fire(state, trigger, "officer", valid_data[trigger])
    assert state == "closed"


def test_cases_never_join_the_machine(engine, valid_data):
    for _ in range(100):
        engine.fire("logged", "analyse", "officer", valid_data["analyse"])
    assert engine._machine.models == []


def test_fire_does_not_change_the_data(engine, valid_data):
    data = dict(valid_data["analyse"])
    engine.fire("logged", "analyse", "officer", data)
    assert data == valid_data["analyse"]


@pytest.mark.parametrize(
    ("state", "days"),
    [("logged", 5), ("analysed", 10), ("referred", "agency"), ("responded", 10), ("closed", None)],
)
def test_deadline_days(engine, state, days):
    assert engine.deadline_days(state) == days


def test_mermaid_contains_every_transition(engine):
    text = engine.mermaid()
    lines = text.splitlines()
    assert "stateDiagram-v2" in lines
    assert "[*] --> logged" in {line.strip() for line in lines}
    assert "closed --> [*]" in {line.strip() for line in lines}
    edges = {line.strip() for line in lines if ": " in line and "-->" in line}
    triggers: dict[tuple[str, str], list[str]] = {}  # one edge per pair, its triggers in order
    for trigger in TRIGGERS:
        for src in (s for (s, t) in CASE_TABLE if t == trigger):
            for dest in [*OPEN_STATES] if trigger == "resume" else [next_state(src, trigger)]:
                triggers.setdefault((src, dest), []).append(trigger)
    expected = {f"{src} --> {dest}: {' | '.join(ts)}" for (src, dest), ts in triggers.items()}
    assert edges == expected


def test_engine_for_is_cached_per_name():
    assert engine_for("case") is engine_for("case")
    assert engine_for("case").workflow.name == "case"
    assert engine_for("info_request").workflow.name == "info_request"
    with pytest.raises(KeyError, match="parcel"):
        engine_for("parcel")


def test_second_workflow_runs():
    engine = engine_for("info_request")
    assert engine.allowed_triggers("logged") == ["answer"]
    state = engine.fire("logged", "answer", "officer", {"response": "Form B4 in Khmer."})
    assert state == "answered"
    with pytest.raises(RoleNotAllowed):
        engine.fire(state, "close", "agency", {"resolution": "Sent."})
    assert engine.fire(state, "close", "officer", {"resolution": "Sent."}) == "closed"
    with pytest.raises(UnknownTrigger):
        engine.fire("logged", "analyse", "officer", {})


def test_a_new_definition_needs_no_new_code():
    workflow = load_workflow(
        {
            "name": "leave",
            "states": {"asked": None, "granted": None, "refused": None},
            "initial": "asked",
            "final": ["granted", "refused"],
            "transitions": [
                {"trigger": "grant", "from": "asked", "to": "granted", "roles": "admin"},
                {
                    "trigger": "refuse",
                    "from": "asked",
                    "to": "refused",
                    "roles": ["admin"],
                    "fields": {"why": {"type": "text", "required": True}},
                },
            ],
        }
    )
    engine = WorkflowEngine(workflow)
    assert engine.fire("asked", "grant", "admin", {}) == "granted"
    with pytest.raises(MissingFields):
        engine.fire("asked", "refuse", "admin", {})
    assert engine.deadline_days("asked") is None
    assert "asked --> refused: refuse" in engine.mermaid()


def test_final_states_come_from_every_workflow_definition():
    from workflows import INFO_REQUEST_WORKFLOW

    expected = set(INFO_REQUEST_WORKFLOW.final_states) | {"closed"}
    assert set(builtin_registry().final_states) == expected


@pytest.mark.parametrize("held_in", OPEN_STATES)
def test_resume_returns_to_the_state_held_in(engine, valid_data, held_in):
    state = engine.fire(held_in, "hold", "officer", valid_data["hold"])
    assert state == "on_hold"
    resumed = engine.fire(state, "resume", "admin", valid_data["resume"], held_state=held_in)
    assert resumed == held_in


def test_resume_without_a_held_state_does_not_fire(engine, valid_data):
    with pytest.raises(WorkflowError, match="did not fire"):
        engine.fire("on_hold", "resume", "officer", valid_data["resume"], held_state=None)


def test_text_longer_than_the_definition_allows_is_refused(engine, valid_data):
    data = {**valid_data["analyse"], "note": "x" * 20001}
    with pytest.raises(MissingFields) as caught:
        engine.fire("logged", "analyse", "officer", data)
    assert caught.value.errors == {"note": ["Must be text of at most 20000 characters."]}
    data["note"] = "x" * 20000
    assert engine.fire("logged", "analyse", "officer", data) == "analysed"
