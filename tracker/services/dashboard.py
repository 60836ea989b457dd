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
from workflows.time_rules import past_week_start, week_of

LIST_LIMIT = 10
STEP_LIMIT = 5


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
    next_steps: list[NextStep] = field(default_factory=list)


@dataclass(frozen=True)
class NextStep:
    """Cases waiting for this person's next move: ``kind`` names the move, ``filters`` are the
    case list's filters that show all of them, ``sort`` its order."""

    kind: str
    filters: CaseFilters
    sort: str
    group: CaseGroup


def _group(query: Select, *order, limit: int = LIST_LIMIT) -> CaseGroup:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = db.session.scalars(query.order_by(*order, Case.id).limit(limit)).all()
    return CaseGroup(list(items), total or 0)


_ORDER = {
    "due_at": Case.due_at.asc().nulls_last(),
    "-updated_at": Case.updated_at.desc(),
    "-created_at": Case.created_at.desc(),
}


def _steps(actor: User, now: datetime) -> list[tuple[str, CaseFilters, str]]:
    """Each role's next moves: (kind, filters, sort)."""
    if access.is_staff(actor):
        me = actor.id
        return [
            ("ready_to_close", CaseFilters(state="responded", owner_id=me), "due_at"),
            ("due_soon", CaseFilters(owner_id=me, due_soon=True), "due_at"),
            ("new_to_me", CaseFilters(state="logged", owner_id=me), "-created_at"),
            ("on_hold", CaseFilters(state="on_hold", owner_id=me), "due_at"),
        ]
    if actor.role == "agency":
        return [("to_answer", CaseFilters(state="referred"), "due_at")]
    return [("changed", CaseFilters(changed_after=past_week_start(now)), "-updated_at")]


def next_steps_for(actor: User, now: datetime | None = None) -> list[NextStep]:
    """What waits for this actor's move, by role, each with its count and first few cases."""
    now = now or now_utc()
    return [
        NextStep(kind, filters, sort, _group(
            filtered_cases(actor, filters, now), _ORDER[sort], limit=STEP_LIMIT
        ))
        for kind, filters, sort in _steps(actor, now)
    ]  # fmt: skip


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
        next_steps=next_steps_for(actor, now),
    )


def count_by_state(actor: User) -> dict[str, int]:
    """How many of the actor's visible cases are in each state."""
    visible = access.visible_cases(actor).subquery()
    rows = db.session.execute(select(visible.c.state, func.count()).group_by(visible.c.state))
    return {state: count for state, count in rows}
