"""Workflow definitions: the data shape of a definition file, loaded and validated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from workflows.vocabulary import (
    AGENCY_DEADLINE,
    DEFAULT_TEMPLATE,
    DEFAULT_TEXT_MAX,
    EFFECT_FIELDS,
    FIELD_TYPES,
    LANGUAGES,
    LIST_TYPES,
    RECIPIENTS,
)

_WORKFLOW_KEYS = frozenset(
    {"name", "label", "initial", "final", "states", "deadlines", "transitions"}
)
_TRANSITION_KEYS = frozenset(
    {"trigger", "from", "to", "roles", "label", "fields", "effects", "notify"}
)
_FIELD_KEYS = frozenset({"type", "required", "max", "choices", "internal", "label", "single"})
_NOTIFY_KEYS = frozenset({"template", "to"})
ROLES = frozenset({"admin", "officer", "agency", "representative"})

# Effects of triggers that a digest or dashboard never asks a reader to fire next.
NOT_ASKED_EFFECTS = frozenset({"hold", "merge_into"})


class WorkflowDefinitionError(ValueError):
    """A workflow definition is inconsistent; the message names the offending item."""


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    """Return a read-only copy of a mapping."""
    return MappingProxyType(dict(mapping))


Label = Mapping[str, str]


@dataclass(frozen=True)
class Field:
    """One value a trigger asks for: its type, limits, choices and whether it is internal."""

    name: str
    type: str
    required: bool = False
    max: int | None = None
    internal: bool = False
    label: Label = field(default_factory=lambda: _frozen({}), hash=False)
    choices: Mapping[str, Label] = field(default_factory=lambda: _frozen({}), hash=False)
    # A list field's other name, taking one value alone (``agency_id`` for ``agency_ids``).
    single: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the field as it is written in a definition file."""
        data: dict[str, Any] = {"type": self.type, "required": self.required}
        if self.single is not None:
            data["single"] = self.single
        if self.max is not None:
            data["max"] = self.max
        if self.choices:
            data["choices"] = {code: dict(label) for code, label in self.choices.items()}
        data["internal"] = self.internal
        data["label"] = dict(self.label)
        return data


@dataclass(frozen=True)
class Notify:
    """One email a trigger sends: which template, to which recipients."""

    template: str
    to: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the entry as it is written in a definition file."""
        return {"template": self.template, "to": list(self.to)}


@dataclass(frozen=True)
class Transition:
    """One trigger: from where, to where, who may fire it, what it asks for and does."""

    trigger: str
    sources: tuple[str, ...]
    dests: tuple[str, ...]
    roles: frozenset[str]
    label: Label = field(default_factory=lambda: _frozen({}), hash=False)
    fields: Mapping[str, Field] = field(default_factory=lambda: _frozen({}), hash=False)
    effects: tuple[str, ...] = ()
    notify: tuple[Notify, ...] = ()

    @property
    def dest(self) -> str:
        """The target state (the first of them for a trigger that returns to a held state)."""
        return self.dests[0]

    @property
    def required(self) -> tuple[str, ...]:
        """The names of the fields that must be given, in definition order."""
        return tuple(name for name, f in self.fields.items() if f.required)

    @property
    def choices(self) -> Mapping[str, tuple[str, ...]]:
        """The allowed values of each choice field."""
        return {name: tuple(f.choices) for name, f in self.fields.items() if f.choices}

    def text_fields(self) -> tuple[Field, ...]:
        """The free-text fields, in definition order (the first given one is the event note)."""
        return tuple(f for f in self.fields.values() if f.type == "text")

    def note_field(self, values: Mapping[str, Any]) -> Field | None:
        """The text field an event's note comes from: the first one given."""
        return next((f for f in self.text_fields() if values.get(f.name)), None)

    def gathered(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """The data with a list field given by its ``single`` name turned into a one-item list
        (the single name is dropped; given both ways, the list wins)."""
        gathered = dict(data)
        for name, spec in self.fields.items():
            if spec.single is None or spec.single not in gathered:
                continue
            one = gathered.pop(spec.single)
            if gathered.get(name) in (None, "", []) and one not in (None, ""):
                gathered[name] = [one]
        return gathered

    def internal_fields(self) -> frozenset[str]:
        """The names of the fields only staff and the referred agency may read."""
        return frozenset(name for name, f in self.fields.items() if f.internal)

    def to_dict(self) -> dict[str, Any]:
        """Return the transition as it is written in a definition file."""
        return {
            "trigger": self.trigger,
            "from": list(self.sources),
            "to": self.dests[0] if len(self.dests) == 1 else list(self.dests),
            "roles": sorted(self.roles),
            "label": dict(self.label),
            "fields": {name: f.to_dict() for name, f in self.fields.items()},
            "effects": list(self.effects),
            "notify": [n.to_dict() for n in self.notify],
        }


@dataclass(frozen=True)
class Workflow:
    """A validated workflow: states, transitions, deadlines and their labels."""

    name: str
    states: tuple[str, ...]
    initial: str
    final_states: frozenset[str]
    transitions: tuple[Transition, ...]
    deadlines: Mapping[str, int | str | None] = field(hash=False)
    label: Label = field(default_factory=lambda: _frozen({}), hash=False)
    state_labels: Mapping[str, Label] = field(default_factory=lambda: _frozen({}), hash=False)

    def transition(self, trigger: str) -> Transition | None:
        """Return the transition fired by `trigger`, or None if the workflow has none."""
        return next((t for t in self.transitions if t.trigger == trigger), None)

    def transition_with_effect(self, effect: str) -> Transition | None:
        """Return the first transition that has this effect (e.g. the merge), or None."""
        return next((t for t in self.transitions if effect in t.effects), None)

    def triggers_from(self, state: str) -> list[Transition]:
        """Return the transitions that may fire from `state`, in definition order."""
        return [t for t in self.transitions if state in t.sources]

    def next_steps(self, state: str, role: str) -> list[Transition]:
        """The moves expected of this role on a case in `state` (analyse, refer, answer, close…):
        the triggers it may fire from there, less those that are never the step a reader is
        asked for (putting the case on hold, merging it into another)."""
        return [
            t
            for t in self.triggers_from(state)
            if role in t.roles and not NOT_ASKED_EFFECTS.intersection(t.effects)
        ]

    def to_dict(self) -> dict[str, Any]:
        """Return the workflow in the shape of a definition file (`load_workflow` reads it)."""
        return {
            "name": self.name,
            "label": dict(self.label),
            "initial": self.initial,
            "final": [s for s in self.states if s in self.final_states],
            "states": {s: dict(self.state_labels[s]) for s in self.states},
            "deadlines": {s: d for s, d in self.deadlines.items() if d is not None},
            "transitions": [t.to_dict() for t in self.transitions],
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


def _label(raw: Any, what: str, fallback: str) -> Label:
    """Read {en: …, km: …}; a missing label falls back to the name (English and Khmer)."""
    if raw is None:
        return _frozen(dict.fromkeys(LANGUAGES, fallback.replace("_", " ").capitalize()))
    if not isinstance(raw, Mapping) or not all(isinstance(v, str) and v for v in raw.values()):
        raise WorkflowDefinitionError(f"{what}: label must map en and km to text")
    missing = [lang for lang in LANGUAGES if lang not in raw]
    if missing:
        raise WorkflowDefinitionError(f"{what}: label has no '{missing[0]}' text")
    return _frozen({lang: raw[lang] for lang in LANGUAGES})


def _mapping(raw: Any, what: str) -> Mapping[str, Any]:
    """Refuse anything but a mapping (None reads as empty)."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise WorkflowDefinitionError(f"{what} must be a mapping")
    return raw


def _unknown_keys(raw: Mapping[str, Any], allowed: frozenset[str], what: str) -> None:
    """Refuse keys the format does not know (a typo must not pass silently)."""
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise WorkflowDefinitionError(f"{what} has unknown key '{unknown[0]}'")


def _load_states(name: str, raw: Any) -> Mapping[str, Label]:
    """Read the states and their labels, in definition order."""
    states = _mapping(raw, f"workflow '{name}': states")
    if not states:
        raise WorkflowDefinitionError(f"workflow '{name}' has no states")
    for state in states:
        if not isinstance(state, str) or not state.strip() or len(state) > 20:
            raise WorkflowDefinitionError(
                f"workflow '{name}': state {state!r} needs a name of at most 20 characters"
            )
    return _frozen({s: _label(label, f"state '{s}'", s) for s, label in states.items()})


def _load_field(trigger: str, name: str, raw: Any) -> Field:
    """Read one field of a trigger."""
    what = f"transition '{trigger}', field '{name}'"
    raw = _mapping(raw, what)
    _unknown_keys(raw, _FIELD_KEYS, what)
    kind = raw.get("type")
    if kind not in FIELD_TYPES:
        raise WorkflowDefinitionError(f"{what}: type must be one of {', '.join(FIELD_TYPES)}")
    limit = raw.get("max")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise WorkflowDefinitionError(f"{what}: max must be a positive whole number")
    if limit is not None and kind != "text":
        raise WorkflowDefinitionError(f"{what}: only text fields have a max length")
    choices = _mapping(raw.get("choices"), f"{what}: choices")
    if (kind == "choice") != bool(choices):
        raise WorkflowDefinitionError(f"{what}: a choice field, and only one, lists its choices")
    for flag in ("required", "internal"):
        if not isinstance(raw.get(flag, False), bool):
            raise WorkflowDefinitionError(f"{what}: {flag} must be true or false")
    single = raw.get("single")
    if single is not None and (kind not in LIST_TYPES or not str(single).isidentifier()):
        raise WorkflowDefinitionError(f"{what}: only a list field has a single name")
    return Field(
        name=name,
        type=kind,
        required=raw.get("required", False),
        max=limit or (DEFAULT_TEXT_MAX if kind == "text" else None),
        internal=raw.get("internal", False),
        label=_label(raw.get("label"), what, name),
        choices=_frozen({c: _label(lbl, f"{what}, choice '{c}'", c) for c, lbl in choices.items()}),
        single=single,
    )


def _load_notify(trigger: str, raw: Any) -> tuple[Notify, ...]:
    """Read which emails a trigger sends, and to whom."""
    if raw is None:
        return ()
    if not isinstance(raw, list | tuple):
        raise WorkflowDefinitionError(f"transition '{trigger}': notify must be a list")
    entries = []
    for entry in raw:
        what = f"transition '{trigger}': notify"
        entry = _mapping(entry, what)
        _unknown_keys(entry, _NOTIFY_KEYS, what)
        to = _names(entry.get("to"), f"{what} to")
        stray = [r for r in to if r not in RECIPIENTS]
        if not to or stray:
            raise WorkflowDefinitionError(
                f"{what}: 'to' must list recipients among {', '.join(RECIPIENTS)}"
            )
        template = entry.get("template", DEFAULT_TEMPLATE)
        if not isinstance(template, str) or not template.isidentifier():
            raise WorkflowDefinitionError(f"{what}: template must be a template name")
        entries.append(Notify(template, to))
    return tuple(entries)


def _check_effects(trigger: str, effects: tuple[str, ...], fields: Mapping[str, Field]) -> None:
    """Refuse unknown effects and effects without the fields they read."""
    for effect in effects:
        if effect not in EFFECT_FIELDS:
            raise WorkflowDefinitionError(
                f"transition '{trigger}': unknown effect '{effect}' "
                f"(known: {', '.join(EFFECT_FIELDS)})"
            )
        for name, kind in EFFECT_FIELDS[effect].items():
            if name not in fields or fields[name].type != kind:
                raise WorkflowDefinitionError(
                    f"transition '{trigger}': effect '{effect}' needs a {kind} field '{name}'"
                )


def _in_states(names: tuple[str, ...], states: Mapping[str, Any], what: str) -> None:
    """Refuse a state name the workflow does not define."""
    for state in names:
        if state not in states:
            raise WorkflowDefinitionError(f"{what} unknown state '{state}'")


def _load_transition(index: int, raw: Any, states: Mapping[str, Any]) -> Transition:
    """Read and check one transition entry."""
    if not isinstance(raw, Mapping):
        raise WorkflowDefinitionError(f"transition #{index + 1} is not a mapping")
    trigger = raw.get("trigger")
    if not isinstance(trigger, str) or not trigger.isidentifier() or len(trigger) > 40:
        raise WorkflowDefinitionError(f"transition #{index + 1} has no trigger name")
    _unknown_keys(raw, _TRANSITION_KEYS, f"transition '{trigger}'")
    sources = _names(raw.get("from"), f"transition '{trigger}': from")
    if not sources:
        raise WorkflowDefinitionError(f"transition '{trigger}' has no 'from' states")
    _in_states(sources, states, f"transition '{trigger}' comes from")
    dests = _names(raw.get("to"), f"transition '{trigger}': to")
    if not dests:
        raise WorkflowDefinitionError(f"transition '{trigger}' has no 'to' state")
    _in_states(dests, states, f"transition '{trigger}' targets")
    roles = _names(raw.get("roles"), f"transition '{trigger}': roles")
    if not roles or not set(roles) <= ROLES:
        raise WorkflowDefinitionError(
            f"transition '{trigger}': roles must list some of {', '.join(sorted(ROLES))}"
        )
    fields = _mapping(raw.get("fields"), f"transition '{trigger}': fields")
    loaded = {name: _load_field(trigger, name, f) for name, f in fields.items()}
    for spec in loaded.values():
        if spec.single is not None and spec.single in loaded:
            raise WorkflowDefinitionError(
                f"transition '{trigger}', field '{spec.name}': its single name "
                f"'{spec.single}' is another field"
            )
    effects = _names(raw.get("effects"), f"transition '{trigger}': effects")
    _check_effects(trigger, effects, loaded)
    if len(dests) > 1 and "resume" not in effects:
        raise WorkflowDefinitionError(
            f"transition '{trigger}': only a 'resume' trigger has several 'to' states"
        )
    return Transition(
        trigger=trigger,
        sources=sources,
        dests=dests,
        roles=frozenset(roles),
        label=_label(raw.get("label"), f"transition '{trigger}'", trigger),
        fields=_frozen(loaded),
        effects=effects,
        notify=_load_notify(trigger, raw.get("notify")),
    )


def _check_unique_triggers(transitions: tuple[Transition, ...]) -> None:
    """Refuse a trigger defined twice: one entry per trigger, listing all its sources."""
    seen: set[str] = set()
    for t in transitions:
        if t.trigger in seen:
            raise WorkflowDefinitionError(
                f"trigger '{t.trigger}' is defined twice; list all its 'from' states in one entry"
            )
        seen.add(t.trigger)


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
            for dest in t.dests if state in t.sources else ():
                if dest not in reached:
                    reached.add(dest)
                    frontier.append(dest)
    for state in states:
        if state not in reached:
            raise WorkflowDefinitionError(f"state '{state}' is unreachable from '{initial}'")
        if state not in final and not any(state in t.sources for t in transitions):
            raise WorkflowDefinitionError(
                f"state '{state}' is a dead end (no outgoing transition) but is not final"
            )


def _load_deadlines(raw: Any, states: tuple[str, ...]) -> Mapping[str, int | str | None]:
    """Read working days per state; states not listed have no deadline."""
    raw = _mapping(raw, "deadlines")
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


def _check_hold_pairs(transitions: tuple[Transition, ...]) -> None:
    """A 'resume' must lead back to every state its held state can be entered from."""
    for resume in (t for t in transitions if "resume" in t.effects):
        holds = [t for t in transitions if "hold" in t.effects and t.dest in resume.sources]
        if not holds:
            raise WorkflowDefinitionError(
                f"transition '{resume.trigger}' resumes from a state no 'hold' leads to"
            )
        missing = [s for h in holds for s in h.sources if s not in resume.dests]
        if missing:
            raise WorkflowDefinitionError(
                f"transition '{resume.trigger}' cannot return to held state '{missing[0]}'"
            )


def load_workflow(data: Mapping[str, Any]) -> Workflow:
    """Build a Workflow from plain (JSON- or YAML-read) data, refusing any inconsistency."""
    if not isinstance(data, Mapping):
        raise WorkflowDefinitionError("a workflow definition must be a mapping")
    _unknown_keys(data, _WORKFLOW_KEYS, "workflow definition")
    name = data.get("name")
    if not isinstance(name, str) or not name.isidentifier() or len(name) > 40:
        raise WorkflowDefinitionError("workflow definition has no name (letters, digits, _)")
    labels = _load_states(name, data.get("states"))
    states = tuple(labels)
    initial = data.get("initial")
    if initial not in states:
        raise WorkflowDefinitionError(f"initial state '{initial}' is not a state")
    final = frozenset(_names(data.get("final"), "final"))
    _in_states(tuple(sorted(final)), labels, "final names")
    raw_transitions = data.get("transitions") or []
    if not isinstance(raw_transitions, list | tuple):
        raise WorkflowDefinitionError(f"workflow '{name}': transitions must be a list")
    transitions = tuple(_load_transition(i, t, labels) for i, t in enumerate(raw_transitions))
    _check_unique_triggers(transitions)
    _check_graph(states, initial, final, transitions)
    _check_hold_pairs(transitions)
    return Workflow(
        name=name,
        states=states,
        initial=initial,
        final_states=final,
        transitions=transitions,
        deadlines=_load_deadlines(data.get("deadlines"), states),
        label=_label(data.get("label"), f"workflow '{name}'", name),
        state_labels=labels,
    )
