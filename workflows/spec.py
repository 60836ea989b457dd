"""Workflow and transition definitions, loaded from plain data and validated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

AGENCY_DEADLINE = "agency"

_WORKFLOW_KEYS = frozenset(
    {"name", "states", "initial", "final_states", "transitions", "deadlines"}
)
_TRANSITION_KEYS = frozenset({"trigger", "source", "dest", "roles", "required", "choices", "label"})


class WorkflowDefinitionError(ValueError):
    """A workflow definition is inconsistent; the message names the offending item."""


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    """Return a read-only copy of a mapping."""
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Transition:
    """One trigger: where it may fire from, where it leads, who may fire it, what it needs."""

    trigger: str
    sources: tuple[str, ...]
    dest: str
    roles: frozenset[str]
    required: tuple[str, ...] = ()
    label: str = ""
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _frozen({}), hash=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the transition as JSON-ready data (the shape `load_workflow` reads)."""
        return {
            "trigger": self.trigger,
            "source": list(self.sources),
            "dest": self.dest,
            "roles": sorted(self.roles),
            "required": list(self.required),
            "choices": {name: list(values) for name, values in self.choices.items()},
            "label": self.label,
        }


@dataclass(frozen=True)
class Workflow:
    """A validated state machine definition: states, transitions and deadlines."""

    name: str
    states: tuple[str, ...]
    initial: str
    final_states: frozenset[str]
    transitions: tuple[Transition, ...]
    deadlines: Mapping[str, int | str | None] = field(hash=False)

    def transition(self, trigger: str) -> Transition | None:
        """Return the transition fired by `trigger`, or None if the workflow has none."""
        return next((t for t in self.transitions if t.trigger == trigger), None)

    def triggers_from(self, state: str) -> list[Transition]:
        """Return the transitions that may fire from `state`, in definition order."""
        return [t for t in self.transitions if state in t.sources]

    def to_dict(self) -> dict[str, Any]:
        """Return the workflow as JSON-ready data (the shape `load_workflow` reads)."""
        return {
            "name": self.name,
            "states": list(self.states),
            "initial": self.initial,
            "final_states": [s for s in self.states if s in self.final_states],
            "transitions": [t.to_dict() for t in self.transitions],
            "deadlines": dict(self.deadlines),
        }


def _names(value: Any, what: str) -> tuple[str, ...]:
    """Read a name or a list of names, keeping order and dropping repeats."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(
        isinstance(v, str) and v.strip() for v in value
    ):
        raise WorkflowDefinitionError(f"{what} must be a name or a list of names")
    return tuple(dict.fromkeys(value))


def _load_states(data: Mapping[str, Any]) -> tuple[str, ...]:
    """Read the state list, refusing an empty list and repeated states."""
    name = data.get("name")
    raw = data.get("states")
    if not raw:
        raise WorkflowDefinitionError(f"workflow '{name}' has no states")
    if isinstance(raw, str) or not isinstance(raw, list | tuple):
        raise WorkflowDefinitionError(f"workflow '{name}': states must be a list of names")
    seen: set[str] = set()
    for state in raw:
        if not isinstance(state, str) or not state.strip():
            raise WorkflowDefinitionError(f"workflow '{name}' has a state without a name")
        if state in seen:
            raise WorkflowDefinitionError(f"state '{state}' is listed twice")
        seen.add(state)
    return tuple(raw)


def _load_choices(trigger: str, raw: Any, required: tuple[str, ...]) -> Mapping[str, Any]:
    """Read the allowed values of required fields, e.g. {"outcome": [...]}."""
    if raw is None:
        return _frozen({})
    if not isinstance(raw, Mapping):
        raise WorkflowDefinitionError(f"transition '{trigger}': choices must be a mapping")
    choices = {}
    for name, values in raw.items():
        if name not in required:
            raise WorkflowDefinitionError(
                f"transition '{trigger}' has choices for '{name}', which is not a required field"
            )
        choices[name] = _names(values, f"transition '{trigger}': choices for '{name}'")
        if not choices[name]:
            raise WorkflowDefinitionError(f"transition '{trigger}' has no choices for '{name}'")
    return _frozen(choices)


def _load_transition(index: int, raw: Any, states: tuple[str, ...]) -> Transition:
    """Read and check one transition entry."""
    if not isinstance(raw, Mapping):
        raise WorkflowDefinitionError(f"transition #{index + 1} is not a mapping")
    trigger = raw.get("trigger")
    if not isinstance(trigger, str) or not trigger.strip():
        raise WorkflowDefinitionError(f"transition #{index + 1} has no trigger")
    unknown = sorted(set(raw) - _TRANSITION_KEYS)
    if unknown:
        raise WorkflowDefinitionError(f"transition '{trigger}' has unknown key '{unknown[0]}'")
    sources = _names(raw.get("source"), f"transition '{trigger}': source")
    if not sources:
        raise WorkflowDefinitionError(f"transition '{trigger}' has no source states")
    for source in sources:
        if source not in states:
            raise WorkflowDefinitionError(
                f"transition '{trigger}' comes from unknown state '{source}'"
            )
    dest = raw.get("dest")
    if not dest:
        raise WorkflowDefinitionError(f"transition '{trigger}' has no target")
    if dest not in states:
        raise WorkflowDefinitionError(f"transition '{trigger}' targets unknown state '{dest}'")
    roles = _names(raw.get("roles"), f"transition '{trigger}': roles")
    if not roles:
        raise WorkflowDefinitionError(f"transition '{trigger}' has no roles")
    required = _names(raw.get("required"), f"transition '{trigger}': required")
    label = raw.get("label") or trigger.replace("_", " ").capitalize()
    return Transition(
        trigger=trigger,
        sources=sources,
        dest=dest,
        roles=frozenset(roles),
        required=required,
        label=label,
        choices=_load_choices(trigger, raw.get("choices"), required),
    )


def _check_unique_triggers(transitions: tuple[Transition, ...]) -> None:
    """Refuse a trigger defined twice: one entry per trigger, listing all its sources."""
    seen: dict[str, Transition] = {}
    for t in transitions:
        first = seen.setdefault(t.trigger, t)
        if first is t:
            continue
        overlap = [s for s in t.sources if s in first.sources]
        if overlap:
            raise WorkflowDefinitionError(
                f"trigger '{t.trigger}' is defined twice from state '{overlap[0]}'"
            )
        raise WorkflowDefinitionError(
            f"trigger '{t.trigger}' is defined twice; list all its sources in one transition"
        )


def _check_graph(
    states: tuple[str, ...],
    initial: str,
    final: frozenset[str],
    transitions: tuple[Transition, ...],
) -> None:
    """Refuse unreachable states and dead ends that are not final."""
    reached, frontier = {initial}, [initial]
    while frontier:
        state = frontier.pop()
        for t in transitions:
            if state in t.sources and t.dest not in reached:
                reached.add(t.dest)
                frontier.append(t.dest)
    for state in states:
        if state not in reached:
            raise WorkflowDefinitionError(f"state '{state}' is unreachable from '{initial}'")
    for state in states:
        if state not in final and not any(state in t.sources for t in transitions):
            raise WorkflowDefinitionError(
                f"state '{state}' is a dead end (no outgoing transition) but is not final"
            )


def _load_deadlines(raw: Any, states: tuple[str, ...]) -> Mapping[str, int | str | None]:
    """Read working days per state; states not listed have no deadline."""
    raw = raw or {}
    if not isinstance(raw, Mapping):
        raise WorkflowDefinitionError("deadlines must be a mapping of state to working days")
    deadlines: dict[str, int | str | None] = dict.fromkeys(states)
    for state, days in raw.items():
        if state not in states:
            raise WorkflowDefinitionError(f"deadline for unknown state '{state}'")
        valid_days = isinstance(days, int) and not isinstance(days, bool) and days >= 0
        if not (days is None or days == AGENCY_DEADLINE or valid_days):
            raise WorkflowDefinitionError(
                f"deadline for state '{state}' must be a number of working days, "
                f"'{AGENCY_DEADLINE}' or null (got {days!r})"
            )
        deadlines[state] = days
    return _frozen(deadlines)


def load_workflow(data: Mapping[str, Any]) -> Workflow:
    """Build a Workflow from plain (JSON-compatible) data, refusing any inconsistency."""
    if not isinstance(data, Mapping):
        raise WorkflowDefinitionError("a workflow definition must be a mapping")
    unknown = sorted(set(data) - _WORKFLOW_KEYS)
    if unknown:
        raise WorkflowDefinitionError(f"workflow definition has unknown key '{unknown[0]}'")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise WorkflowDefinitionError("workflow definition has no name")
    states = _load_states(data)
    initial = data.get("initial")
    if initial not in states:
        raise WorkflowDefinitionError(f"initial state '{initial}' is not a state")
    final = frozenset(_names(data.get("final_states"), "final_states"))
    stray = sorted(final - set(states))
    if stray:
        raise WorkflowDefinitionError(f"final state '{stray[0]}' is not a state")
    raw_transitions = data.get("transitions") or []
    if not isinstance(raw_transitions, list | tuple):
        raise WorkflowDefinitionError(f"workflow '{name}': transitions must be a list")
    transitions = tuple(_load_transition(i, t, states) for i, t in enumerate(raw_transitions))
    _check_unique_triggers(transitions)
    _check_graph(states, initial, final, transitions)
    return Workflow(
        name=name,
        states=states,
        initial=initial,
        final_states=final,
        transitions=transitions,
        deadlines=_load_deadlines(data.get("deadlines"), states),
    )
