"""Pure-Python workflows: definitions as data, guards, the engine and the working calendar."""

from workflows.calendar import WorkingCalendar
from workflows.case import (
    CASE_WORKFLOW,
    CASE_WORKFLOW_DEFINITION,
    INFO_REQUEST_WORKFLOW,
    INFO_REQUEST_WORKFLOW_DEFINITION,
    OUTCOMES,
)
from workflows.engine import (
    FINAL_STATES,
    MissingFields,
    RoleNotAllowed,
    TriggerNotAllowed,
    UnknownState,
    UnknownTrigger,
    WorkflowEngine,
    WorkflowError,
    engine_for,
)
from workflows.spec import Transition, Workflow, WorkflowDefinitionError, load_workflow

__all__ = [
    "CASE_WORKFLOW",
    "CASE_WORKFLOW_DEFINITION",
    "FINAL_STATES",
    "INFO_REQUEST_WORKFLOW",
    "INFO_REQUEST_WORKFLOW_DEFINITION",
    "OUTCOMES",
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
    "WorkingCalendar",
    "engine_for",
    "load_workflow",
]
