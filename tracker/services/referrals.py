"""List referrals with their deadlines: an agency's own, or all of them for staff."""

from __future__ import annotations

from sqlalchemy.orm import selectinload

from tracker import access
from tracker.extensions import db
from tracker.models import Referral, User
from tracker.workflow_registry import engine_for

MAX_REFERRALS = 500


def list_referrals(
    actor: User, *, open_only: bool = False, agency_id: int | None = None
) -> list[Referral]:
    """The referrals the actor may see, unanswered first, the soonest deadline first."""
    query = access.visible_referrals(actor)
    if open_only:
        query = query.where(Referral.answered_at.is_(None))
    if agency_id is not None:
        query = query.where(Referral.agency_id == agency_id)
    query = query.order_by(
        Referral.answered_at.is_not(None),
        Referral.due_at.asc().nulls_last(),
        Referral.id.desc(),
    )
    # The list shows each referral's case and agency: load them in one go, not row by row.
    query = query.options(selectinload(Referral.case), selectinload(Referral.agency))
    return list(db.session.scalars(query.limit(MAX_REFERRALS)))


def answerable_referrals(actor: User, referrals: list[Referral]) -> set[int]:
    """The ids of the open referrals the actor may answer now (by a trigger that answers one)."""
    found = set()
    for referral in referrals:
        if referral.answered_at is not None:
            continue
        if actor.role == "agency" and referral.agency_id != actor.agency_id:
            continue
        case = referral.case
        engine = engine_for(case.workflow)
        triggers = engine.allowed_triggers(case.state, actor.role)
        if any("answer_referral" in engine.workflow.transition(t).effects for t in triggers):
            found.add(referral.id)
    return found
