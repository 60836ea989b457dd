"""How long cases stay in each state (held time counted apart, under its own state)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, literal, select

from tracker import access
from tracker.extensions import db
from tracker.models import Case, Event, User, now_utc
from tracker.services.case_queries import CaseFilters, filtered_cases
from tracker.services.reports import open_states
from tracker.workflow_registry import registry


@dataclass(frozen=True)
class StateTime:
    """One state: how many stays in it, and their calendar days in all and on average."""

    state: str
    stays: int
    days: float
    mean_days: float


def time_in_state(
    actor: User, now: datetime | None = None, filters: CaseFilters | None = None
) -> list[StateTime]:
    """Each state's stays and days over the actor's cases, so that time on hold shows apart
    from time being worked on: the ended stays stored on the transitions that ended them
    (``Event.stay_seconds``, read from ``ix_events_transition_stays``), and the stays still
    going of the open cases."""
    now = now or now_utc()
    filters = filters or CaseFilters()
    cases = filtered_cases(actor, filters, base=access.reported_cases(actor))
    ended = db.session.execute(ended_stays_query(actor, filters)).all()
    at_type = Case.__table__.c.state_entered_at.type
    going = db.session.execute(
        cases.where(Case.state.in_(open_states()))
        .with_only_columns(
            Case.state,
            func.count(),
            func.sum(_seconds(literal(now, type_=at_type)) - _seconds(Case.state_entered_at)),
        )
        .group_by(Case.state)
    ).all()
    figures: dict[str, tuple[int, float]] = {}
    for state, count, seconds in [*ended, *going]:
        stays, days = figures.get(state, (0, 0.0))
        figures[state] = (stays + count, days + float(seconds or 0) / 86400)
    return [
        StateTime(
            s, figures[s][0], round(figures[s][1], 1), round(figures[s][1] / figures[s][0], 1)
        )
        for s in registry().states
        if s in figures and figures[s][0]
    ]


def ended_stays_query(actor: User, filters: CaseFilters | None = None) -> Select:
    """(state, stays, seconds) of the stays that ended, over the actor's reported cases."""
    filters = filters or CaseFilters()
    if access.is_staff(actor) and filters == CaseFilters():
        # Every case but a confidential one: no list of a million ids to match.
        of_cases = access.not_confidential_case(Event.case_id)
    else:
        cases = filtered_cases(actor, filters, base=access.reported_cases(actor))
        of_cases = Event.case_id.in_(cases.with_only_columns(Case.id).scalar_subquery())
    return (
        select(Event.from_state, func.count(), func.sum(Event.stay_seconds))
        .where(Event.kind == "transition", Event.stay_seconds.is_not(None), of_cases)
        .group_by(Event.from_state)
    )


def _seconds(moment):
    """SQL: seconds since the Unix epoch of a stored moment (PostgreSQL or SQLite)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", moment)
    return (func.julianday(moment) - 2440587.5) * 86400.0
