"""How long cases stay in each state (held time counted apart, under its own state)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, literal, or_, select

from tracker import access
from tracker.extensions import db
from tracker.models import Case, Event, User, now_utc
from tracker.services.case_queries import CaseFilters, filtered_cases
from tracker.workflow_registry import final_states, registry


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
    """Each state's stays and days over the actor's cases (from their transitions), so that
    time on hold shows apart from time being worked on."""
    now = now or now_utc()
    reported = access.reported_cases(actor)
    visible = filtered_cases(actor, filters or CaseFilters(), base=reported).with_only_columns(
        Case.id
    )
    at_type = Event.__table__.c.at.type
    following = func.lead(Event.at, type_=at_type).over(
        partition_by=Event.case_id, order_by=(Event.at, Event.id)
    )
    stays = (
        select(Event.to_state.label("state"), Event.at.label("entered"), following.label("left"))
        .where(Event.case_id.in_(visible.scalar_subquery()), Event.to_state.is_not(None))
        .where(Event.kind.in_(("created", "transition")))
        .subquery()
    )
    # A finished case's last state is not a stay that lasts. Summed in the database: the rows
    # of every transition of a national table (100,000 cases: 360,000 events) are not read.
    left = func.coalesce(stays.c.left, literal(now, type_=at_type))
    rows = db.session.execute(
        select(stays.c.state, func.count(), func.sum(_seconds(left) - _seconds(stays.c.entered)))
        .where(or_(stays.c.left.is_not(None), stays.c.state.not_in(final_states())))
        .group_by(stays.c.state)
    ).all()
    figures = {state: (count, float(seconds or 0) / 86400) for state, count, seconds in rows}
    return [
        StateTime(
            s, figures[s][0], round(figures[s][1], 1), round(figures[s][1] / figures[s][0], 1)
        )
        for s in registry().states
        if s in figures and figures[s][0]
    ]


def _seconds(moment):
    """SQL: seconds since the Unix epoch of a stored moment (PostgreSQL or SQLite)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", moment)
    return (func.julianday(moment) - 2440587.5) * 86400.0
