"""What a trigger does to a case beyond its state: one function per effect of the vocabulary.

The definition file names a trigger's effects (workflows/vocabulary.py lists them and the fields
each reads); nothing here knows a trigger's name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tracker.audit import record_event
from tracker.extensions import db
from tracker.models import Case, Referral, User
from tracker.services.cases import record_assignment
from tracker.services.raisers import move_raisers
from tracker.services.referral_answers import Answer
from tracker.working_days import response_working_days
from workflows import WorkingCalendar
from workflows.vocabulary import EFFECT_FIELDS, MERGED_OUTCOME


@dataclass(frozen=True)
class EffectContext:
    """A firing: the case, who fires, the checked values, when, from where."""

    case: Case
    actor: User
    values: Mapping[str, Any]
    now: datetime
    remote_addr: str | None
    calendar: WorkingCalendar
    from_state: str
    previous_due_at: datetime | None
    due_at: datetime | None
    referrals: list[Referral]
    # Each referred agency's own deadline (its response days), by agency id.
    agency_due_at: Mapping[int, datetime | None]
    # The referral a response answers (for a trigger that answers one).
    answer: Answer | None


def set_owner(ctx: EffectContext) -> None:
    """Make the chosen user the owner (and record the assignment, which tells them)."""
    owner = ctx.values.get("owner_id")
    if owner is None or owner.id == ctx.case.owner_id:
        return
    previous = ctx.case.owner_id
    ctx.case.owner_id = owner.id
    record_assignment(ctx.case, previous, owner, ctx.actor, ctx.now, ctx.remote_addr)


def set_category(ctx: EffectContext) -> None:
    """Set the case's category."""
    if ctx.values.get("category"):
        ctx.case.category = ctx.values["category"]


def open_referral(ctx: EffectContext) -> None:
    """Refer the case to the chosen agencies: a referral row each, each with its own deadline.

    The case's ``agency_id`` is the first (lead) agency named."""
    agencies = ctx.values["agency_ids"]
    ctx.case.agency_id = agencies[0].id
    for agency in agencies:
        db.session.add(
            Referral(
                case_id=ctx.case.id,
                agency_id=agency.id,
                note=ctx.values.get("note", ""),
                referred_at=ctx.now,
                referred_by_id=ctx.actor.id,
                due_at=ctx.agency_due_at.get(agency.id),
            )
        )


def answer_referral(ctx: EffectContext) -> None:
    """Record the response on the referral it answers (see referral_answers.choose_referral)."""
    referral = ctx.answer.referral if ctx.answer else None
    if referral is None:
        return
    referral.response = ctx.values.get("response")
    referral.answered_at = ctx.now
    referral.answered_by_id = ctx.actor.id
    referral.response_days = response_working_days(referral.referred_at, ctx.now, ctx.calendar)


def record_outcome(ctx: EffectContext) -> None:
    """Record the outcome (when the trigger asks for one) and the resolution summary."""
    if "outcome" in ctx.values:
        ctx.case.outcome = ctx.values["outcome"]
    ctx.case.resolution = ctx.values.get("resolution", "")
    # The answer for the public, where the definition asks for one (an optional field).
    ctx.case.resolution_public = ctx.values.get("resolution_public", "")


def clear_outcome(ctx: EffectContext) -> None:
    """Forget the outcome (and a merge) of a case that is worked on again."""
    ctx.case.merged_into_id = None
    ctx.case.outcome = None
    ctx.case.resolution = ""
    ctx.case.resolution_public = ""


def hold(ctx: EffectContext) -> None:
    """Stop the clock: keep the state and the working days left until the deadline."""
    case, due = ctx.case, ctx.previous_due_at
    case.held_state = ctx.from_state
    case.held_working_days = (
        max(0, ctx.calendar.working_days_between(ctx.now, due)) if due is not None else None
    )


def resume(ctx: EffectContext) -> None:
    """Start the clock again (the engine has returned the case to its held state)."""
    ctx.case.held_state = None
    ctx.case.held_working_days = None


def merge_into(ctx: EffectContext) -> None:
    """Close as a duplicate of the case named in ``into``; that case's timeline records it.

    The duplicate's raisers become raisers of the kept case (``move_raisers``: same access
    codes), so they are told of its next steps; both timelines keep everything."""
    kept: Case = ctx.values["into"]
    move_raisers(ctx.case, kept, at=ctx.now)
    ctx.case.outcome = MERGED_OUTCOME
    ctx.case.merged_into_id = kept.id
    kept.updated_at = ctx.now
    record_event(
        kept,
        "merged",
        ctx.actor,
        ctx.now,
        note=ctx.case.reference,
        data={"reference": ctx.case.reference},
        remote_addr=ctx.remote_addr,
    )


EFFECTS: dict[str, Callable[[EffectContext], None]] = {
    "set_owner": set_owner,
    "set_category": set_category,
    "open_referral": open_referral,
    "answer_referral": answer_referral,
    "record_outcome": record_outcome,
    "clear_outcome": clear_outcome,
    "hold": hold,
    "resume": resume,
    "merge_into": merge_into,
}
assert set(EFFECTS) == set(EFFECT_FIELDS), "one function per effect of the vocabulary"
