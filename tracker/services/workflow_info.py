"""Describe a workflow for clients: states, transitions, required fields, deadlines, diagram."""

from __future__ import annotations

from typing import Any

from tracker.services.deadlines import deadlines_in_force
from tracker.services.errors import NotFound
from workflows import engine_for
from workflows.engine import WORKFLOWS


def describe_workflow(name: str) -> dict[str, Any]:
    """The definition with the deadlines in force (admin policy over defaults) and Mermaid."""
    if name not in WORKFLOWS:
        raise NotFound(f"No workflow named {name}.")
    engine = engine_for(name)
    definition = engine.workflow.to_dict()
    definition["deadlines"] = deadlines_in_force(name)
    definition["mermaid"] = engine.mermaid()
    return definition
