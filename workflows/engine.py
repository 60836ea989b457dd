"""Run a Workflow with the `transitions` library: one machine per workflow, none per case.

Why `transitions` here: it checks that a trigger may fire from the current state and picks the
destination, and its conditions choose where a `resume` returns to (one machine transition per
possible held state, each with a condition on the state the case was held in). Its mermaid
backend draws the diagram of /workflow and `flask workflow` from the very same machine. What it
is not used for: callbacks with I/O (a failure there would not roll the state back) and a
machine per case (memory); the service changes the row, writes the event and commits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property

from transitions import Machine
from transitions.extensions import GraphMachine

from workflows.guards import field_errors, role_may_fire
from workflows.spec import Workflow


def _listed(names: list[str]) -> str:
    """Join trigger names for a message, or say there are none."""
    return ", ".join(names) if names else "none"


class WorkflowError(Exception):
    """A trigger cannot be fired; the message says why."""


class UnknownState(WorkflowError):
    """The state is not part of the workflow."""

    def __init__(self, state: str, workflow: str) -> None:
        self.state = state
        self.workflow = workflow
        super().__init__(f"unknown state '{state}' in workflow '{workflow}'")


class UnknownTrigger(WorkflowError):
    """The workflow has no such trigger."""

    def __init__(self, trigger: str, allowed: list[str]) -> None:
        self.trigger = trigger
        self.allowed = list(allowed)
        super().__init__(f"unknown trigger '{trigger}'; allowed here: {_listed(self.allowed)}")


class TriggerNotAllowed(WorkflowError):
    """The trigger exists but cannot fire from the current state."""

    def __init__(self, trigger: str, state: str, allowed: list[str]) -> None:
        self.trigger = trigger
        self.state = state
        self.allowed = list(allowed)
        super().__init__(
            f"cannot '{trigger}' from state '{state}'; allowed: {_listed(self.allowed)}"
        )


class RoleNotAllowed(WorkflowError):
    """The actor's role may not fire the trigger."""

    def __init__(self, trigger: str, role: str | None, reason: str) -> None:
        self.trigger = trigger
        self.role = role
        self.reason = reason
        super().__init__(f"role '{role}' may not '{trigger}': {reason}")


class MissingFields(WorkflowError):
    """Required data is missing or invalid; `errors` maps each field to its messages."""

    def __init__(self, trigger: str, errors: dict[str, list[str]]) -> None:
        self.trigger = trigger
        self.errors = {name: list(messages) for name, messages in errors.items()}
        details = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in self.errors.items())
        super().__init__(f"cannot '{trigger}': {details}")


class _Row:
    """The light stand-in the machine fires events on: only a state."""

    __slots__ = ("state",)

    def __init__(self, state: str) -> None:
        self.state = state


class _Drawing:
    """The one model of the drawing machine (a graph is drawn per model)."""


def _returns_to(dest: str) -> Callable[..., bool]:
    """A condition: the case was held in `dest` (for a trigger with several destinations)."""
    return lambda held_state=None, **_: held_state == dest


def _machine_transitions(workflow: Workflow, conditions: bool = True) -> list[dict]:
    """The workflow's transitions in the shape `transitions.Machine` takes."""
    entries = []
    for t in workflow.transitions:
        for dest in t.dests:
            entry = {"trigger": t.trigger, "source": list(t.sources), "dest": dest}
            if conditions and len(t.dests) > 1:
                entry["conditions"] = [_returns_to(dest)]
            entries.append(entry)
    return entries


class WorkflowEngine:
    """Check and fire triggers of one workflow; no I/O, no persistence."""

    def __init__(self, workflow: Workflow) -> None:
        self.workflow = workflow
        self._machine = Machine(
            model=None,
            states=list(workflow.states),
            transitions=_machine_transitions(workflow),
            initial=workflow.initial,
            auto_transitions=False,
            ignore_invalid_triggers=False,
        )

    def _check_state(self, state: str) -> None:
        """Refuse a state the workflow does not know."""
        if state not in self.workflow.states:
            raise UnknownState(state, self.workflow.name)

    def allowed_triggers(self, state: str, role: str | None = None) -> list[str]:
        """Return the triggers valid from `state` (and for `role` if given), in order."""
        self._check_state(state)
        return [
            t.trigger
            for t in self.workflow.triggers_from(state)
            if role is None or role_may_fire(t, role)[0]
        ]

    def fire(
        self,
        state: str,
        trigger: str,
        role: str,
        data: Mapping[str, object],
        held_state: str | None = None,
    ) -> str:
        """Check every guard, run the transition and return the new state.

        ``held_state`` is the state a case on hold was held in (where a resume returns to).
        """
        allowed = self.allowed_triggers(state)
        transition = self.workflow.transition(trigger)
        if transition is None:
            raise UnknownTrigger(trigger, allowed)
        if trigger not in allowed:
            raise TriggerNotAllowed(trigger, state, allowed)
        ok, reason = role_may_fire(transition, role)
        if not ok:
            raise RoleNotAllowed(trigger, role, reason)
        errors = field_errors(transition, transition.gathered(data))
        if errors:
            raise MissingFields(trigger, errors)
        row = _Row(state)
        if not self._machine.events[trigger].trigger(row, held_state=held_state):
            raise WorkflowError(f"'{trigger}' did not fire from state '{state}'")
        return row.state

    def deadline_days(self, state: str) -> int | str | None:
        """Return the working days to act in `state`, "agency", or None for no deadline."""
        self._check_state(state)
        return self.workflow.deadlines.get(state)

    @cached_property
    def _diagram(self) -> GraphMachine:
        """A machine for drawing only (built on first use), with one drawing model."""
        return GraphMachine(
            model=_Drawing(),
            states=list(self.workflow.states),
            transitions=_machine_transitions(self.workflow, conditions=False),
            initial=self.workflow.initial,
            auto_transitions=False,
            graph_engine="mermaid",
            title=self.workflow.name,
        )

    def mermaid(self) -> str:
        """Return the workflow as a Mermaid stateDiagram-v2, drawn by `transitions`."""
        text = self._diagram.models[0].get_graph().draw(None)
        finals = [f"  {s} --> [*]" for s in self.workflow.states if s in self.workflow.final_states]
        return text.rstrip("\n") + "\n" + "\n".join(finals) + "\n"
