"""Merge a duplicate into the case it duplicates: the workflow's merge trigger, and who follows.

The trigger is the one whose definition has the ``merge_into`` effect (tracker/services/effects.py
does the closing); this module names no trigger. The duplicate's raisers move to the kept case
(tracker/services/raisers.py ``move_raisers``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tracker.models import Case, User
from tracker.services.cases import get_case
from tracker.services.errors import Conflict
from tracker.services.transitions import available_triggers, fire_trigger
from tracker.workflow_registry import workflow_named
from workflows import Transition

MERGE_EFFECT = "merge_into"


def merge_transition(workflow: str) -> Transition | None:
    """The trigger of a workflow that merges a case into another, if it has one."""
    return workflow_named(workflow).transition_with_effect(MERGE_EFFECT)


def merge_case(
    actor: User,
    reference: str,
    into: Any,
    *,
    note: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
    remote_addr: str | None = None,
) -> Case:
    """Close ``reference`` as a duplicate of ``into`` (staff); both timelines record it."""
    case = get_case(actor, reference)
    transition = merge_transition(case.workflow)
    if transition is None:
        raise Conflict(
            f"Cases of the {case.workflow} workflow cannot be merged.",
            allowed=available_triggers(actor, case),
            state=case.state,
        )
    return fire_trigger(
        actor,
        reference,
        transition.trigger,
        {"into": into, "note": note or ""},
        expected_version=expected_version,
        now=now,
        remote_addr=remote_addr,
    )
