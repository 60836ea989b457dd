"""The brief of one forum for stakeholders: its facts, its concerns counted and listed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from tracker import access
from tracker.extensions import db
from tracker.models import Case, Forum, User
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


def forum_brief(actor: User, forum_id: int) -> ForumBrief:
    """Gather a forum's brief (staff only): counts and every concern, oldest reference first."""
    if not access.can_print_forum_brief(actor):
        raise PermissionDenied("Only staff may print a forum's brief.")
    forum = db.session.get(Forum, forum_id)
    if forum is None:
        raise NotFound("No such forum.")
    filters = CaseFilters(forum_id=forum_id)
    cases = list(
        db.session.scalars(
            filtered_cases(actor, filters)
            .options(selectinload(Case.agency))
            .order_by(Case.reference)
            .limit(MAX_BRIEF_CASES + 1)
        )
    )
    return ForumBrief(
        forum,
        cross_cases(actor, "category", "state", filters),
        cases[:MAX_BRIEF_CASES],
        len(cases) > MAX_BRIEF_CASES,
    )
