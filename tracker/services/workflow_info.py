"""Describe a workflow for clients: states, transitions, required fields, deadlines, diagram."""

from __future__ import annotations

from typing import Any

from tracker.extensions import db
from tracker.models import DeadlinePolicy
from tracker.services.errors import NotFound
from workflows import engine_for
from workflows.engine import WORKFLOWS
from workflows.spec import AGENCY_DEADLINE


def describe_workflow(name: str) -> dict[str, Any]:
    """The definition with the deadlines in force (admin policy over defaults) and Mermaid."""
    if name not in WORKFLOWS:
        raise NotFound(f"No workflow named {name}.")
    engine = engine_for(name)
    definition = engine.workflow.to_dict()
    for state, default in definition["deadlines"].items():
        policy = db.session.get(DeadlinePolicy, (name, state))
        # "agency": the referred agency's own response time applies, whatever the policy.
        if policy is not None and default != AGENCY_DEADLINE:
            definition["deadlines"][state] = policy.working_days
    definition["mermaid"] = engine.mermaid()
    return definition
