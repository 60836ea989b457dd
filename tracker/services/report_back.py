"""What is presented at the next forum: each concern of a forum and what became of it, and a
scorecard of the agencies. Public: no personal data, only officer-approved summaries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tracker import access
from tracker.extensions import db
from tracker.models import Case, Forum, Referral, now_utc
from tracker.services.errors import NotFound
from tracker.services.public_answer import is_public_listable, public_answer
from tracker.services.public_summary import approved_summary
from tracker.services.reports import AgencyPerformance, performance_of
from tracker.workflow_registry import final_states

MAX_LISTED = 5000


@dataclass(frozen=True)
class ReportBackCase:
    """One concern as the report-back lists it."""

    reference: str
    category: str
    summary: str  # the approved public summary, or empty
    state: str
    agency_en: str | None
    agency_km: str | None
    outcome: str | None
    working_days: int | None

    @property
    def agency(self) -> str | None:
        """The agency's name (English), as the public API gives it."""
        return self.agency_en


@dataclass(frozen=True)
class ReportBack:
    """A forum, its listed concerns and the totals of all its concerns."""

    forum: Forum
    cases: list[ReportBackCase]
    totals: dict[str, Any]


def _listed(case: Case) -> ReportBackCase:
    answer = public_answer(case)
    return ReportBackCase(
        reference=case.reference,
        category=case.category,
        summary=approved_summary(case),
        state=case.state,
        agency_en=answer.agency_en,
        agency_km=answer.agency_km,
        outcome=case.outcome,
        working_days=answer.working_days,
    )


def _totals(forum_id: int, listed: list[ReportBackCase]) -> dict[str, Any]:
    """Counts over every concern of the forum: ``cases`` counts them all; the counts by state
    and outcome (and so ``open`` and ``closed``) leave confidential cases out."""
    everything = select(func.count(Case.id)).where(Case.forum_id == forum_id)
    rows = db.session.execute(
        select(Case.state, Case.outcome, func.count(Case.id))
        .where(Case.forum_id == forum_id, Case.confidential.is_(False))
        .group_by(Case.state, Case.outcome)
    ).all()
    by_state: Counter[str] = Counter()
    by_outcome: Counter[str] = Counter()
    for state, outcome, count in rows:
        by_state[state] += count
        if outcome:
            by_outcome[outcome] += count
    closed = sum(by_state[s] for s in final_states())
    days = sorted(c.working_days for c in listed if c.working_days is not None)
    return {
        "cases": db.session.scalar(everything) or 0,
        "listed": len(listed),
        "closed": closed,
        "open": sum(by_state.values()) - closed,
        "by_state": dict(by_state),
        "by_outcome": dict(by_outcome),
        "median_working_days": _median(days),
    }


def _median(values: list[int]) -> float | None:
    if not values:
        return None
    middle = len(values) // 2
    return float(values[middle]) if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def forum_report_back(forum_id: int) -> ReportBack:
    """Every listable concern of the forum, oldest reference first, and the forum's totals."""
    forum = db.session.get(Forum, forum_id)
    if forum is None:
        raise NotFound("No such forum.")
    cases = db.session.scalars(
        select(Case)
        .where(Case.forum_id == forum_id)
        .options(
            selectinload(Case.agency),
            selectinload(Case.referrals).selectinload(Referral.agency),
        )
        .order_by(Case.reference)
        .limit(MAX_LISTED)
    )
    listed = [_listed(case) for case in cases if is_public_listable(case)]
    return ReportBack(forum, listed, _totals(forum_id, listed))


def agency_scorecard(now: datetime | None = None) -> list[AgencyPerformance]:
    """Every agency's referrals: answered, on time, median working days (public figures)."""
    referrals = select(Referral).where(access.not_confidential_case(Referral.case_id))
    return performance_of(referrals, now or now_utc())
