"""The built-in workflows (case, info_request), read from workflows/definitions/."""

from __future__ import annotations

from typing import Any

from workflows.registry import BUILTIN_DIR, read_definition
from workflows.spec import Workflow, load_workflow

CASE_WORKFLOW_DEFINITION: dict[str, Any] = read_definition(BUILTIN_DIR / "case.yaml")
INFO_REQUEST_WORKFLOW_DEFINITION: dict[str, Any] = read_definition(
    BUILTIN_DIR / "info_request.yaml"
)
CASE_WORKFLOW: Workflow = load_workflow(CASE_WORKFLOW_DEFINITION)
INFO_REQUEST_WORKFLOW: Workflow = load_workflow(INFO_REQUEST_WORKFLOW_DEFINITION)
OUTCOMES: tuple[str, ...] = tuple(CASE_WORKFLOW.transition("close").fields["outcome"].choices)
