"""How long cases stay in each state (held time counted apart, under its own state)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from tracker import access
from tracker.extensions import db
from tracker.models import Case, Event, User, now_utc
from tracker.services.case_queries import CaseFilters, filtered_cases
from tracker.workflow_registry import final_states, registry

MAX_EVENTS = 200_000  # a report, not an export: beyond this the oldest stays are left out


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
    following = func.lead(Event.at, type_=Event.__table__.c.at.type).over(
        partition_by=Event.case_id, order_by=(Event.at, Event.id)
    )
    rows = db.session.execute(
        select(Event.to_state, Event.at, following)
        .where(Event.case_id.in_(visible.scalar_subquery()), Event.to_state.is_not(None))
        .where(Event.kind.in_(("created", "transition")))
        .order_by(Event.at.desc())
        .limit(MAX_EVENTS)
    ).all()
    days: dict[str, float] = defaultdict(float)
    stays: dict[str, int] = defaultdict(int)
    finished = set(final_states())
    for state, entered, left in rows:
        if left is None and state in finished:
            continue  # a finished case's last state is not a stay that lasts
        stays[state] += 1
        days[state] += ((left or now) - entered).total_seconds() / 86400
    return [
        StateTime(s, stays[s], round(days[s], 1), round(days[s] / stays[s], 1))
        for s in registry().states
        if stays[s]
    ]
