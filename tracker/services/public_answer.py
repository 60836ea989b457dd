"""What the public may know of a case's answer: outcome, public text, agency, days taken.

One home for these facts: the status page, the public API and the forum's report-back all read
them from here. Nothing here carries names, contacts or internal notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Agency, Case, Feedback
from tracker.workflow_registry import final_states
from tracker.working_days import working_calendar

# A complaint to the Social Security Regulator (Decision 017 FSA.SSR, 2024) may be made within
# this many working days of the closure.
APPEAL_WORKING_DAYS = 30


@dataclass(frozen=True)
class PublicAnswer:
    """The answer of a case as the public sees it (``None`` fields: not known yet)."""

    outcome: str | None
    resolution_public: str | None
    agency_en: str | None
    agency_km: str | None
    working_days: int | None
    closed_at: datetime | None
    feedback: Feedback | None = None


def is_public_listable(case: Case) -> bool:
    """Tell whether a case may be listed by itself on public pages (report-back, scorecards).

    Every case counts in the public totals; a confidential case (issue 11) is counted, never
    listed.
    """
    return not getattr(case, "confidential", False)


def answering_agency(case: Case) -> Agency | None:
    """The agency that answered last (a referral's response), else the one referred to now."""
    answered = [r for r in case.referrals if r.answered_at is not None]
    if answered:
        return max(answered, key=lambda r: (r.answered_at, r.id)).agency
    return case.agency


def closed_at(case: Case) -> datetime | None:
    """When the case reached its final state, or None while it is open."""
    return case.state_entered_at if case.state in final_states() else None


def working_days_taken(case: Case) -> int | None:
    """Working days from logging to closing, on the working calendar (None while open)."""
    end = closed_at(case)
    if end is None:
        return None
    return max(0, working_calendar().working_days_between(case.created_at, end))


def feedback_for_closing(case: Case) -> Feedback | None:
    """The raiser's answer to "Was it resolved?" for the case's current closing, if any."""
    end = closed_at(case)
    if end is None:
        return None
    return db.session.scalar(
        select(Feedback).where(Feedback.case_id == case.id, Feedback.closed_at == end)
    )


def appeal_deadline(closed: datetime) -> date:
    """The last day to complain to the Social Security Regulator: 30 working days after closing."""
    calendar = working_calendar()
    return calendar.local_date(calendar.add_working_days(closed, APPEAL_WORKING_DAYS))


def public_answer(case: Case, *, with_feedback: bool = False) -> PublicAnswer:
    """The case's answer for the public; the texts only once it is closed."""
    end = closed_at(case)
    agency = answering_agency(case)
    return PublicAnswer(
        outcome=case.outcome,
        resolution_public=(case.resolution_public or "") if end is not None else None,
        agency_en=agency.name_en if agency else None,
        agency_km=(agency.name_km or agency.name_en) if agency else None,
        working_days=working_days_taken(case),
        closed_at=end,
        feedback=feedback_for_closing(case) if with_feedback and end is not None else None,
    )
