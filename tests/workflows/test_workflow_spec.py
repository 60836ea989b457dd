"""Loading workflow definitions: the case workflow as data, and broken definitions refused."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from workflows.case import (
    CASE_WORKFLOW,
    INFO_REQUEST_WORKFLOW,
    INFO_REQUEST_WORKFLOW_DEFINITION,
    OUTCOMES,
)
from workflows.spec import Transition, Workflow, WorkflowDefinitionError, load_workflow

Definition = dict[str, Any]


def transition_named(definition: Definition, trigger: str) -> dict[str, Any]:
    """Return the raw transition entry of `trigger` in a definition."""
    return next(t for t in definition["transitions"] if t["trigger"] == trigger)


def set_in(trigger: str, key: str, value: Any) -> Callable[[Definition], None]:
    """Return a change that sets `key` of one transition."""
    return lambda d: transition_named(d, trigger).__setitem__(key, value)


def drop_from(trigger: str, key: str) -> Callable[[Definition], None]:
    """Return a change that removes `key` from one transition."""
    return lambda d: transition_named(d, trigger).pop(key)


def add_transition(**entry: Any) -> Callable[[Definition], None]:
    """Return a change that appends a transition (officer-only unless told)."""
    return lambda d: d["transitions"].append({"roles": ["officer"], **entry})


def add_state(state: str, *entries: dict[str, Any]) -> Callable[[Definition], None]:
    """Return a change that adds a state and some transitions."""

    def change(d: Definition) -> None:
        d["states"].append(state)
        d["transitions"].extend({"roles": ["officer"], **e} for e in entries)

    return change


BROKEN = {
    "unknown target": (
        set_in("refer", "dest", "sent"),
        "transition 'refer' targets unknown state 'sent'",
    ),
    "unknown source": (
        set_in("refer", "source", ["analysed", "draft"]),
        "transition 'refer' comes from unknown state 'draft'",
    ),
    "no target": (drop_from("close", "dest"), "transition 'close' has no target"),
    "empty target": (set_in("close", "dest", ""), "transition 'close' has no target"),
    "no sources": (set_in("close", "source", []), "transition 'close' has no source states"),
    "no roles": (set_in("respond", "roles", []), "transition 'respond' has no roles"),
    "roles not names": (set_in("respond", "roles", 5), "transition 'respond': roles must be"),
    "no trigger": (set_in("refer", "trigger", ""), "transition #2 has no trigger"),
    "typo in a key": (
        lambda d: transition_named(d, "close").update(requried=["x"]),
        "transition 'close' has unknown key 'requried'",
    ),
    "choices for an optional field": (
        set_in("close", "choices", {"colour": ["red"]}),
        "transition 'close' has choices for 'colour', which is not a required field",
    ),
    "empty choices": (
        set_in("close", "choices", {"outcome": []}),
        "transition 'close' has no choices for 'outcome'",
    ),
    "duplicate trigger, same source": (
        add_transition(trigger="refer", source=["analysed"], dest="closed"),
        "trigger 'refer' is defined twice from state 'analysed'",
    ),
    "duplicate trigger, other source": (
        add_transition(trigger="refer", source=["referred"], dest="referred"),
        "trigger 'refer' is defined twice; list all its sources in one transition",
    ),
    "initial not a state": (
        lambda d: d.update(initial="draft"),
        "initial state 'draft' is not a state",
    ),
    "final not a state": (
        lambda d: d.update(final_states=["closed", "archived"]),
        "final state 'archived' is not a state",
    ),
    "unreachable state": (
        add_state("archived", {"trigger": "unarchive", "source": "archived", "dest": "closed"}),
        "state 'archived' is unreachable from 'logged'",
    ),
    "dead end": (
        add_state("parked", {"trigger": "park", "source": "analysed", "dest": "parked"}),
        "state 'parked' is a dead end (no outgoing transition) but is not final",
    ),
    "deadline for an unknown state": (
        lambda d: d["deadlines"].update(sent=3),
        "deadline for unknown state 'sent'",
    ),
    "negative deadline": (
        lambda d: d["deadlines"].update(logged=-1),
        "deadline for state 'logged' must be a number of working days",
    ),
    "deadline as words": (
        lambda d: d["deadlines"].update(logged="soon"),
        "deadline for state 'logged' must be a number of working days",
    ),
    "deadline as a flag": (
        lambda d: d["deadlines"].update(logged=True),
        "deadline for state 'logged' must be a number of working days",
    ),
    "empty state list": (lambda d: d.update(states=[]), "workflow 'case' has no states"),
    "state listed twice": (
        lambda d: d["states"].append("referred"),
        "state 'referred' is listed twice",
    ),
    "no name": (lambda d: d.pop("name"), "workflow definition has no name"),
    "typo in a top-level key": (
        lambda d: d.update(deadline={}),
        "workflow definition has unknown key 'deadline'",
    ),
}


def test_the_unbroken_definition_loads(case_definition):
    assert load_workflow(case_definition) == CASE_WORKFLOW


@pytest.mark.parametrize(("change", "message"), BROKEN.values(), ids=BROKEN.keys())
def test_broken_definitions_are_refused(case_definition, change, message):
    change(case_definition)
    with pytest.raises(WorkflowDefinitionError, match=re.escape(message)):
        load_workflow(case_definition)


def test_definition_error_is_a_value_error():
    assert issubclass(WorkflowDefinitionError, ValueError)


def test_a_final_state_may_be_a_dead_end(case_definition):
    case_definition["transitions"].remove(transition_named(case_definition, "reopen"))
    workflow = load_workflow(case_definition)
    assert workflow.triggers_from("closed") == []


def test_case_workflow_matches_the_product_spec():
    assert CASE_WORKFLOW.states == ("logged", "analysed", "referred", "responded", "closed")
    assert CASE_WORKFLOW.initial == "logged"
    assert CASE_WORKFLOW.final_states == frozenset({"closed"})
    close = CASE_WORKFLOW.transition("close")
    assert close == Transition(
        trigger="close",
        sources=("analysed", "responded"),
        dest="closed",
        roles=frozenset({"officer", "admin"}),
        required=("outcome", "resolution"),
        label="Close",
        choices={"outcome": OUTCOMES},
    )
    assert CASE_WORKFLOW.transition("respond").roles == {"officer", "admin", "agency"}
    assert CASE_WORKFLOW.transition("analyse").required == ("owner_id", "category", "note")
    assert CASE_WORKFLOW.transition("escalate") is None


def test_triggers_from_keeps_definition_order():
    triggers = [t.trigger for t in CASE_WORKFLOW.triggers_from("analysed")]
    assert triggers == ["refer", "close"]
    assert [t.trigger for t in CASE_WORKFLOW.triggers_from("responded")] == ["refer", "close"]


def test_to_dict_is_json_and_loads_back():
    data = json.loads(json.dumps(CASE_WORKFLOW.to_dict()))
    assert load_workflow(data) == CASE_WORKFLOW
    assert data["deadlines"] == {
        "logged": 5,
        "analysed": 10,
        "referred": "agency",
        "responded": 10,
        "closed": None,
    }
    refer = next(t for t in data["transitions"] if t["trigger"] == "refer")
    assert refer["source"] == ["analysed", "responded"]
    assert refer["dest"] == "referred"
    assert refer["roles"] == ["admin", "officer"]
    assert refer["required"] == ["agency_id", "note"]


def test_workflow_is_read_only():
    with pytest.raises(TypeError):
        CASE_WORKFLOW.deadlines["logged"] = 1  # type: ignore[index]
    with pytest.raises(AttributeError):
        CASE_WORKFLOW.initial = "closed"  # type: ignore[misc]


def test_loading_does_not_keep_the_input(case_definition):
    workflow = load_workflow(case_definition)
    case_definition["deadlines"]["logged"] = 99
    case_definition["states"].append("extra")
    assert workflow.deadlines["logged"] == 5
    assert "extra" not in workflow.states


def test_missing_deadlines_mean_none(case_definition):
    del case_definition["deadlines"]
    workflow = load_workflow(case_definition)
    assert dict(workflow.deadlines) == dict.fromkeys(workflow.states)


def test_info_request_workflow_is_a_second_definition():
    assert isinstance(INFO_REQUEST_WORKFLOW, Workflow)
    assert INFO_REQUEST_WORKFLOW.states == ("logged", "answered", "closed")
    assert load_workflow(INFO_REQUEST_WORKFLOW_DEFINITION) == INFO_REQUEST_WORKFLOW
