"""Describe the workflows for clients, in the shape of their definition files."""

from __future__ import annotations

from typing import Any

from tracker.extensions import db
from tracker.models import DeadlinePolicy
from tracker.services.errors import NotFound
from tracker.workflow_registry import registry
from workflows.vocabulary import AGENCY_DEADLINE


def workflow_names() -> list[str]:
    """The names of the workflows a case may follow."""
    return registry().names()


def describe_workflow(name: str) -> dict[str, Any]:
    """The definition as a definition file, with the deadlines in force (policy over default)."""
    if name not in registry():
        raise NotFound(f"No workflow named {name}.")
    definition = registry().workflow(name).to_dict()
    for state in registry().workflow(name).states:
        default = definition["deadlines"].get(state)
        policy = db.session.get(DeadlinePolicy, (name, state))
        # "agency": the referred agency's own response time applies, whatever the policy.
        if policy is not None and default != AGENCY_DEADLINE:
            definition["deadlines"][state] = policy.working_days
    definition["deadlines"] = {s: d for s, d in definition["deadlines"].items() if d is not None}
    return definition
