"""Pure-Python workflows: definitions as data, guards, the engine and the working calendar."""

from functools import cache

from workflows.calendar import WorkingCalendar
from workflows.case import (
    CASE_WORKFLOW,
    CASE_WORKFLOW_DEFINITION,
    INFO_REQUEST_WORKFLOW,
    INFO_REQUEST_WORKFLOW_DEFINITION,
    OUTCOMES,
)
from workflows.engine import (
    MissingFields,
    RoleNotAllowed,
    TriggerNotAllowed,
    UnknownState,
    UnknownTrigger,
    WorkflowEngine,
    WorkflowError,
)
from workflows.registry import DefinitionFileError, WorkflowRegistry, load_registry
from workflows.spec import Field, Transition, Workflow, WorkflowDefinitionError, load_workflow


@cache
def builtin_registry() -> WorkflowRegistry:
    """The built-in workflows only (the app adds WORKFLOW_PATH's; see tracker.workflow_registry)."""
    return load_registry(None)


def engine_for(name: str) -> WorkflowEngine:
    """The engine of a built-in workflow ("case", "info_request")."""
    return builtin_registry().engine(name)


__all__ = [
    "CASE_WORKFLOW",
    "CASE_WORKFLOW_DEFINITION",
    "INFO_REQUEST_WORKFLOW",
    "INFO_REQUEST_WORKFLOW_DEFINITION",
    "OUTCOMES",
    "DefinitionFileError",
    "Field",
    "MissingFields",
    "RoleNotAllowed",
    "Transition",
    "TriggerNotAllowed",
    "UnknownState",
    "UnknownTrigger",
    "Workflow",
    "WorkflowDefinitionError",
    "WorkflowEngine",
    "WorkflowError",
    "WorkflowRegistry",
    "WorkingCalendar",
    "builtin_registry",
    "engine_for",
    "load_registry",
    "load_workflow",
]
