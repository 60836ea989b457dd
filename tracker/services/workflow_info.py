"""Describe the workflows for clients, in the shape of their definition files."""

from __future__ import annotations

from typing import Any

from tracker.services.deadlines import deadlines_in_force
from tracker.services.errors import NotFound
from tracker.workflow_registry import registry


def workflow_names() -> list[str]:
    """The names of the workflows a case may follow."""
    return registry().names()


def describe_workflow(name: str) -> dict[str, Any]:
    """The definition as a definition file, with the deadlines in force (policy over default)."""
    if name not in registry():
        raise NotFound(f"No workflow named {name}.")
    definition = registry().workflow(name).to_dict()
    in_force = deadlines_in_force(name)
    definition["deadlines"] = {s: d for s, d in in_force.items() if d is not None}
    return definition
