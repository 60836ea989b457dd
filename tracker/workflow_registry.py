"""The workflows this app runs (built-in and WORKFLOW_PATH), loaded once in create_app."""

from __future__ import annotations

from flask import Flask, current_app

from workflows import Transition, Workflow, WorkflowEngine, WorkflowRegistry, load_registry

EXTENSION = "workflows"


def init_workflows(app: Flask) -> None:
    """Load and validate every definition; a broken file stops the start (naming the file)."""
    app.extensions[EXTENSION] = load_registry(app.config.get("WORKFLOW_PATH") or None)


def registry() -> WorkflowRegistry:
    """The current app's workflows."""
    return current_app.extensions[EXTENSION]


def workflow_named(name: str) -> Workflow:
    """The named workflow of this app (KeyError if there is none)."""
    return registry().workflow(name)


def engine_for(name: str) -> WorkflowEngine:
    """The engine of the named workflow of this app."""
    return registry().engine(name)


def transition_of(workflow: str, trigger: str | None) -> Transition | None:
    """The definition of a trigger of a workflow, or None (unknown workflow or trigger)."""
    if trigger is None or workflow not in registry():
        return None
    return registry().workflow(workflow).transition(trigger)


def state_labels() -> dict[str, tuple[str, str]]:
    """Every state's (English, Khmer) label, from the definitions (the first that has it)."""
    reg = registry()
    return {s: (reg.state_label(s, "en"), reg.state_label(s, "km")) for s in reg.states}


def final_states() -> tuple[str, ...]:
    """The states where a case is finished, in any workflow of this app."""
    return registry().final_states


def is_open(state: str) -> bool:
    """Tell whether a case in this state is still open (not in a final state)."""
    return state not in registry().final_states


# Events that a trigger fired: a state change, or an answer to one of several open referrals
# (the case stays where it is until the last one is answered).
TRIGGER_EVENT_KINDS = ("transition", "answered")


def event_transition(workflow: str, kind: str, trigger: str | None) -> Transition | None:
    """The transition behind a timeline event that a trigger fired (None for other events)."""
    return transition_of(workflow, trigger) if kind in TRIGGER_EVENT_KINDS else None
