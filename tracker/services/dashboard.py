"""What a user sees first: their open cases, what is overdue or due soon, recent changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, func, select

from tracker import access
from tracker.extensions import db
from tracker.models import Case, User, now_utc
from tracker.services.case_queries import CaseFilters, filtered_cases
from tracker.workflow_registry import final_states
from tracker.working_days import working_calendar
from workflows.time_rules import week_of

LIST_LIMIT = 10


@dataclass(frozen=True)
class CaseGroup:
    """A few cases of one kind and how many there are in all."""

    items: list[Case]
    total: int


@dataclass(frozen=True)
class Dashboard:
    """The dashboard's groups, all within what the actor may see."""

    mine: CaseGroup
    overdue: CaseGroup
    due_this_week: CaseGroup
    recent: CaseGroup
    state_counts: dict[str, int] = field(default_factory=dict)


def _group(query: Select, *order) -> CaseGroup:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = db.session.scalars(query.order_by(*order, Case.id).limit(LIST_LIMIT)).all()
    return CaseGroup(list(items), total or 0)


def _open(query: Select) -> Select:
    return query.where(Case.state.not_in(final_states()))


def dashboard_for(actor: User, now: datetime | None = None) -> Dashboard:
    """Gather the dashboard of this actor (staff: cases they own; others: every visible case)."""
    now = now or now_utc()
    mine = CaseFilters(owner_id=actor.id) if access.is_staff(actor) else CaseFilters()
    # "This week" is the ISO week (Monday to Sunday in the app's time zone), as in the digest.
    week_end = week_of(now, working_calendar()).end
    week = CaseFilters(overdue=False, due_before=week_end)
    return Dashboard(
        mine=_group(_open(filtered_cases(actor, mine, now)), Case.due_at.asc().nulls_last()),
        overdue=_group(filtered_cases(actor, CaseFilters(overdue=True), now), Case.due_at.asc()),
        due_this_week=_group(_open(filtered_cases(actor, week, now)), Case.due_at.asc()),
        recent=_group(filtered_cases(actor, CaseFilters(), now), Case.updated_at.desc()),
        state_counts=count_by_state(actor),
    )


def count_by_state(actor: User) -> dict[str, int]:
    """How many of the actor's visible cases are in each state."""
    visible = access.visible_cases(actor).subquery()
    rows = db.session.execute(select(visible.c.state, func.count()).group_by(visible.c.state))
    return {state: count for state, count in rows}
