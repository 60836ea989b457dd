"""The case workflow (and a shorter information-request workflow) as data."""

from __future__ import annotations

from typing import Any

from workflows.spec import AGENCY_DEADLINE, Workflow, load_workflow

OUTCOMES = (
    "resolved",
    "partly_resolved",
    "not_resolved",
    "duplicate",
    "withdrawn",
    "out_of_scope",
)

_STAFF = ("officer", "admin")

CASE_WORKFLOW_DEFINITION: dict[str, Any] = {
    "name": "case",
    "states": ["logged", "analysed", "referred", "responded", "closed"],
    "initial": "logged",
    "final_states": ["closed"],
    "transitions": [
        {
            "trigger": "analyse",
            "source": ["logged"],
            "dest": "analysed",
            "roles": list(_STAFF),
            "required": ["owner_id", "category", "note"],
            "label": "Analyse",
        },
        {
            "trigger": "refer",
            "source": ["analysed", "responded"],
            "dest": "referred",
            "roles": list(_STAFF),
            "required": ["agency_id", "note"],
            "label": "Refer to agency",
        },
        {
            "trigger": "respond",
            "source": ["referred"],
            "dest": "responded",
            "roles": [*_STAFF, "agency"],
            "required": ["response"],
            "label": "Record response",
        },
        {
            "trigger": "close",
            "source": ["analysed", "responded"],
            "dest": "closed",
            "roles": list(_STAFF),
            "required": ["outcome", "resolution"],
            "choices": {"outcome": list(OUTCOMES)},
            "label": "Close",
        },
        {
            "trigger": "reopen",
            "source": ["closed"],
            "dest": "analysed",
            "roles": list(_STAFF),
            "required": ["reason"],
            "label": "Reopen",
        },
    ],
    "deadlines": {
        "logged": 5,
        "analysed": 10,
        "referred": AGENCY_DEADLINE,
        "responded": 10,
        "closed": None,
    },
}

INFO_REQUEST_WORKFLOW_DEFINITION: dict[str, Any] = {
    "name": "info_request",
    "states": ["logged", "answered", "closed"],
    "initial": "logged",
    "final_states": ["closed"],
    "transitions": [
        {
            "trigger": "answer",
            "source": ["logged"],
            "dest": "answered",
            "roles": [*_STAFF, "agency"],
            "required": ["response"],
            "label": "Answer",
        },
        {
            "trigger": "close",
            "source": ["answered"],
            "dest": "closed",
            "roles": list(_STAFF),
            "required": ["resolution"],
            "label": "Close",
        },
    ],
    "deadlines": {"logged": 5, "answered": 5, "closed": None},
}

CASE_WORKFLOW: Workflow = load_workflow(CASE_WORKFLOW_DEFINITION)
INFO_REQUEST_WORKFLOW: Workflow = load_workflow(INFO_REQUEST_WORKFLOW_DEFINITION)
