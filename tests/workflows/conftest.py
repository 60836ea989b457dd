"""Fixtures for the pure workflow tests (no app, no database)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from workflows.calendar import WorkingCalendar
from workflows.case import CASE_WORKFLOW, CASE_WORKFLOW_DEFINITION
from workflows.engine import WorkflowEngine

# Data that satisfies every required field of each case trigger.
VALID_DATA: dict[str, dict[str, Any]] = {
    "analyse": {"owner_id": 7, "category": "maternity", "note": "Employer did not register."},
    "refer": {"agency_id": 3, "note": "NSSF to check contributions."},
    "respond": {"response": "Registration fixed on 2 May."},
    "close": {"outcome": "resolved", "resolution": "Contributions paid back."},
    "reopen": {"reason": "The employer stopped paying again."},
    "hold": {"reason": "Waiting for the payslips.", "waiting_for": "agency"},
    "resume": {"note": "The payslips came."},
    "merge": {"into": "GRV-2026-00001", "note": "Raised twice."},
}


@pytest.fixture
def engine() -> WorkflowEngine:
    """Return a fresh engine for the case workflow."""
    return WorkflowEngine(CASE_WORKFLOW)


@pytest.fixture
def valid_data() -> dict[str, dict[str, Any]]:
    """Return complete data per case trigger (a copy each test may change)."""
    return copy.deepcopy(VALID_DATA)


@pytest.fixture
def case_definition() -> dict[str, Any]:
    """Return a copy of the case workflow definition a test may break."""
    return copy.deepcopy(CASE_WORKFLOW_DEFINITION)


@pytest.fixture
def calendar() -> WorkingCalendar:
    """Return a Phnom Penh working calendar."""
    return WorkingCalendar()
