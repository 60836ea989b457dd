"""Loading workflow definitions: the case workflow as data, and broken definitions refused."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.support import STATES
from workflows.case import (
    CASE_WORKFLOW,
    INFO_REQUEST_WORKFLOW,
    INFO_REQUEST_WORKFLOW_DEFINITION,
    OUTCOMES,
)
from workflows.spec import Workflow, WorkflowDefinitionError, load_workflow

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
        d["states"][state] = {"en": state, "km": state}
        d["transitions"].extend({"roles": ["officer"], **e} for e in entries)

    return change


def set_field(trigger: str, name: str, **values: Any) -> Callable[[Definition], None]:
    """Return a change that sets keys of one field of a transition."""
    return lambda d: transition_named(d, trigger)["fields"][name].update(values)


BROKEN = {
    "unknown target": (
        set_in("refer", "to", "sent"),
        "transition 'refer' targets unknown state 'sent'",
    ),
    "unknown source": (
        set_in("refer", "from", ["analysed", "draft"]),
        "transition 'refer' comes from unknown state 'draft'",
    ),
    "no target": (drop_from("close", "to"), "transition 'close' has no 'to' state"),
    "empty target": (set_in("close", "to", []), "transition 'close' has no 'to' state"),
    "no sources": (set_in("close", "from", []), "transition 'close' has no 'from' states"),
    "no roles": (set_in("respond", "roles", []), "transition 'respond': roles must list"),
    "unknown role": (set_in("respond", "roles", ["boss"]), "transition 'respond': roles must"),
    "roles not names": (set_in("respond", "roles", 5), "transition 'respond': roles must be"),
    "no trigger": (set_in("refer", "trigger", ""), "transition #2 has no trigger"),
    "typo in a key": (
        lambda d: transition_named(d, "close").update(requried=["x"]),
        "transition 'close' has unknown key 'requried'",
    ),
    "typo in a field key": (
        set_field("close", "resolution", maximum=3),
        "transition 'close', field 'resolution' has unknown key 'maximum'",
    ),
    "unknown field type": (
        set_field("close", "resolution", type="essay"),
        "transition 'close', field 'resolution': type must be one of",
    ),
    "choices on a text field": (
        set_field("close", "resolution", choices={"a": None}),
        "field 'resolution': a choice field, and only one, lists its choices",
    ),
    "choice field without choices": (
        set_field("close", "outcome", choices={}),
        "field 'outcome': a choice field, and only one, lists its choices",
    ),
    "max on a choice": (
        set_field("close", "outcome", max=3),
        "field 'outcome': only text fields have a max length",
    ),
    "max not a number": (
        set_field("close", "resolution", max="long"),
        "field 'resolution': max must be a positive whole number",
    ),
    "required not a flag": (
        set_field("close", "resolution", required="yes"),
        "field 'resolution': required must be true or false",
    ),
    "label without Khmer": (
        set_in("close", "label", {"en": "Close"}),
        "transition 'close': label has no 'km' text",
    ),
    "unknown effect": (
        set_in("close", "effects", ["archive"]),
        "transition 'close': unknown effect 'archive'",
    ),
    "effect without its field": (
        set_in("refer", "effects", ["open_referral", "set_owner"]),
        "transition 'refer': effect 'set_owner' needs a user field 'owner_id'",
    ),
    "unknown recipient": (
        set_in("close", "notify", [{"to": ["everyone"]}]),
        "transition 'close': notify: 'to' must list recipients among",
    ),
    "several targets without resume": (
        set_in("close", "to", ["closed", "analysed"]),
        "transition 'close': only a 'resume' trigger has several 'to' states",
    ),
    "resume cannot return to a held state": (
        set_in("resume", "to", ["logged", "analysed"]),
        "transition 'resume' cannot return to held state 'referred'",
    ),
    "duplicate trigger": (
        add_transition(trigger="refer", **{"from": ["referred"], "to": "referred"}),
        "trigger 'refer' is defined twice",
    ),
    "initial not a state": (
        lambda d: d.update(initial="draft"),
        "initial state 'draft' is not a state",
    ),
    "final not a state": (
        lambda d: d.update(final=["closed", "archived"]),
        "final names unknown state 'archived'",
    ),
    "unreachable state": (
        add_state("archived", {"trigger": "unarchive", "from": "archived", "to": "closed"}),
        "state 'archived' is unreachable from 'logged'",
    ),
    "dead end": (
        add_state("parked", {"trigger": "park", "from": "analysed", "to": "parked"}),
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
    "no states": (lambda d: d.update(states={}), "workflow 'case' has no states"),
    "states as a list": (
        lambda d: d.update(states=["logged"]),
        "workflow 'case': states must be a mapping",
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
    assert CASE_WORKFLOW.states == STATES
    assert CASE_WORKFLOW.initial == "logged"
    assert CASE_WORKFLOW.final_states == frozenset({"closed"})
    close = CASE_WORKFLOW.transition("close")
    assert close.sources == ("analysed", "responded")
    assert close.dests == ("closed",)
    assert close.roles == {"officer", "admin"}
    assert close.required == ("outcome", "resolution")
    assert close.choices == {"outcome": OUTCOMES}
    assert close.effects == ("record_outcome",)
    assert close.label["en"] == "Close the case"
    assert close.label["km"]
    assert CASE_WORKFLOW.transition("respond").roles == {"officer", "admin", "agency"}
    assert CASE_WORKFLOW.transition("analyse").required == ("owner_id", "category", "note")
    assert CASE_WORKFLOW.transition("analyse").internal_fields() == {"note"}
    assert CASE_WORKFLOW.transition("hold").required == ("reason", "waiting_for")
    assert CASE_WORKFLOW.transition("hold").choices == {
        "waiting_for": ("raiser", "agency", "other")
    }
    assert CASE_WORKFLOW.transition("escalate") is None


def test_triggers_from_keeps_definition_order():
    triggers = [t.trigger for t in CASE_WORKFLOW.triggers_from("analysed")]
    assert triggers == ["refer", "close", "hold", "merge"]
    assert [t.trigger for t in CASE_WORKFLOW.triggers_from("responded")] == [
        "refer",
        "close",
        "hold",
        "merge",
    ]


def test_to_dict_is_json_and_loads_back():
    data = json.loads(json.dumps(CASE_WORKFLOW.to_dict()))
    assert load_workflow(data) == CASE_WORKFLOW
    assert data["deadlines"] == {"logged": 5, "analysed": 10, "referred": "agency", "responded": 10}
    refer = next(t for t in data["transitions"] if t["trigger"] == "refer")
    assert refer["from"] == ["analysed", "responded"]
    assert refer["to"] == "referred"
    assert refer["roles"] == ["admin", "officer"]
    assert list(refer["fields"]) == ["agency_ids", "note"]
    assert refer["fields"]["note"]["internal"] is True
    assert refer["effects"] == ["open_referral"]
    assert refer["notify"] == [{"template": "case_referred", "to": ["agency"]}]


def test_workflow_is_read_only():
    with pytest.raises(TypeError):
        CASE_WORKFLOW.deadlines["logged"] = 1  # type: ignore[index]
    with pytest.raises(AttributeError):
        CASE_WORKFLOW.initial = "closed"  # type: ignore[misc]


def test_loading_does_not_keep_the_input(case_definition):
    workflow = load_workflow(case_definition)
    case_definition["deadlines"]["logged"] = 99
    case_definition["states"]["extra"] = {"en": "x", "km": "x"}
    assert workflow.deadlines["logged"] == 5
    assert "extra" not in workflow.states


def test_missing_deadlines_mean_none(case_definition):
    del case_definition["deadlines"]
    workflow = load_workflow(case_definition)
    assert dict(workflow.deadlines) == dict.fromkeys(workflow.states)


def test_text_fields_default_to_a_limit(case_definition):
    del transition_named(case_definition, "reopen")["fields"]["reason"]["max"]
    assert load_workflow(case_definition).transition("reopen").fields["reason"].max == 20000


def test_info_request_workflow_is_a_second_definition():
    assert isinstance(INFO_REQUEST_WORKFLOW, Workflow)
    assert INFO_REQUEST_WORKFLOW.states == ("logged", "answered", "closed")
    assert load_workflow(INFO_REQUEST_WORKFLOW_DEFINITION) == INFO_REQUEST_WORKFLOW
