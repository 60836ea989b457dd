"""Run a Workflow with the `transitions` library: one machine per workflow, none per case."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from transitions import Machine

from workflows.case import CASE_WORKFLOW, INFO_REQUEST_WORKFLOW
from workflows.guards import field_errors, role_may_fire
from workflows.spec import Workflow

WORKFLOWS: Mapping[str, Workflow] = MappingProxyType(
    {"case": CASE_WORKFLOW, "info_request": INFO_REQUEST_WORKFLOW}
)
# The states where a case is finished, in any workflow: no deadline, not "open".
FINAL_STATES: tuple[str, ...] = tuple(
    sorted({state for workflow in WORKFLOWS.values() for state in workflow.final_states})
)


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


class WorkflowEngine:
    """Check and fire triggers of one workflow; no I/O, no persistence."""

    def __init__(self, workflow: Workflow) -> None:
        self.workflow = workflow
        self._machine = Machine(
            model=None,
            states=list(workflow.states),
            transitions=[
                {"trigger": t.trigger, "source": list(t.sources), "dest": t.dest}
                for t in workflow.transitions
            ],
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

    def fire(self, state: str, trigger: str, role: str, data: Mapping[str, object]) -> str:
        """Check every guard, run the transition and return the new state."""
        allowed = self.allowed_triggers(state)
        transition = self.workflow.transition(trigger)
        if transition is None:
            raise UnknownTrigger(trigger, allowed)
        if trigger not in allowed:
            raise TriggerNotAllowed(trigger, state, allowed)
        ok, reason = role_may_fire(transition, role)
        if not ok:
            raise RoleNotAllowed(trigger, role, reason)
        errors = field_errors(transition, data)
        if errors:
            raise MissingFields(trigger, errors)
        row = _Row(state)
        if not self._machine.events[trigger].trigger(row):
            raise WorkflowError(f"'{trigger}' did not fire from state '{state}'")
        return row.state

    def deadline_days(self, state: str) -> int | str | None:
        """Return the working days to act in `state`, "agency", or None for no deadline."""
        self._check_state(state)
        return self.workflow.deadlines.get(state)

    def mermaid(self) -> str:
        """Return the workflow as a Mermaid stateDiagram-v2."""
        lines = ["stateDiagram-v2", f"    [*] --> {self.workflow.initial}"]
        for t in self.workflow.transitions:
            lines.extend(f"    {source} --> {t.dest} : {t.trigger}" for source in t.sources)
        lines.extend(
            f"    {state} --> [*]"
            for state in self.workflow.states
            if state in self.workflow.final_states
        )
        return "\n".join(lines) + "\n"


@cache
def engine_for(name: str) -> WorkflowEngine:
    """Return the (cached) engine of the named workflow ("case", "info_request")."""
    try:
        workflow = WORKFLOWS[name]
    except KeyError:
        raise KeyError(f"no workflow named '{name}'") from None
    return WorkflowEngine(workflow)
