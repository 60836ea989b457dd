"""The brief of one forum for stakeholders: its facts, its concerns counted and listed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker import access
from tracker.extensions import db
from tracker.models import Case, Forum, Referral, User
from tracker.services.case_queries import CaseFilters, filtered_cases
from tracker.services.errors import NotFound, PermissionDenied
from tracker.services.reports import CrossTable, cross_cases

MAX_BRIEF_CASES = 1000


@dataclass(frozen=True)
class ForumBrief:
    """A forum, its concerns by category × state, and the concerns themselves (bounded)."""

    forum: Forum
    counts: CrossTable
    cases: list[Case]
    truncated: bool
    answers: dict[int, str]  # case id → the latest agency response, for the cases listed


def forum_brief(actor: User, forum_id: int) -> ForumBrief:
    """Gather a forum's brief (staff only): counts and every concern, oldest reference first.

    A confidential case is counted in the totals, never listed (the brief goes to stakeholders)."""
    if not access.can_print_forum_brief(actor):
        raise PermissionDenied("Only staff may print a forum's brief.")
    forum = db.session.get(Forum, forum_id)
    if forum is None:
        raise NotFound("No such forum.")
    filters = CaseFilters(forum_id=forum_id)
    cases = list(
        db.session.scalars(
            filtered_cases(actor, filters, base=access.reported_cases(actor))
            .options(selectinload(Case.agency))
            .order_by(Case.reference)
            .limit(MAX_BRIEF_CASES + 1)
        )
    )
    listed = cases[:MAX_BRIEF_CASES]
    return ForumBrief(
        forum,
        cross_cases(actor, "category", "state", filters),
        listed,
        len(cases) > MAX_BRIEF_CASES,
        latest_responses([case.id for case in listed]),
    )


def latest_responses(case_ids: list[int]) -> dict[int, str]:
    """The most recent agency response of each of these cases, in one query."""
    answered = (
        select(Referral.case_id, Referral.response)
        .where(Referral.case_id.in_(case_ids), Referral.answered_at.is_not(None))
        .order_by(Referral.answered_at, Referral.id)
    )
    return {case_id: response or "" for case_id, response in db.session.execute(answered)}
