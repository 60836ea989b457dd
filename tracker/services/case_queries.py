"""Find cases: filters, search, sorting and paging, always within what the actor sees."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select

from tracker.access import visible_cases
from tracker.extensions import db
from tracker.models import Case, User, now_utc
from tracker.workflow_registry import final_states
from tracker.working_days import working_calendar
from workflows.time_rules import due_soon_until

MAX_PER_PAGE = 100
SORTABLE = ("created_at", "updated_at", "due_at", "reference", "priority", "state", "title")


@dataclass(frozen=True)
class CaseFilters:
    """What a list of cases may be narrowed by; None means 'any'."""

    state: str | None = None
    category: str | None = None
    province: str | None = None
    agency_id: int | None = None
    owner_id: int | None = None
    forum_id: int | None = None
    organisation_id: int | None = None
    gender_focus: str | None = None
    priority: str | None = None
    overdue: bool | None = None
    due_before: datetime | None = None
    due_after: datetime | None = None
    due_soon: bool | None = None  # open, not overdue, due within the due-soon working days
    changed_after: datetime | None = None
    q: str | None = None

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> CaseFilters:
        """Build filters from already-typed values, ignoring unrelated keys."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names and v not in ("", None)})


@dataclass(frozen=True)
class Page:
    """One page of results and the total the actor may see."""

    items: list[Case]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages there are."""
        return max(1, -(-self.total // self.per_page))


_EQUALITY = (
    "state",
    "category",
    "province",
    "agency_id",
    "owner_id",
    "forum_id",
    "organisation_id",
    "gender_focus",
    "priority",
)


def filtered_cases(actor: User, filters: CaseFilters, now: datetime | None = None) -> Select:
    """The actor's visible cases narrowed by the filters (unsorted, unpaged)."""
    query = visible_cases(actor)
    for name in _EQUALITY:
        value = getattr(filters, name)
        if value is not None:
            query = query.where(getattr(Case, name) == value)
    now = now or now_utc()
    if filters.overdue is True:
        query = query.where(Case.due_at < now, Case.state.not_in(final_states()))
    elif filters.overdue is False:
        query = query.where(or_(Case.due_at.is_(None), Case.due_at >= now))
    if filters.due_before is not None:
        query = query.where(Case.due_at < filters.due_before)
    if filters.due_after is not None:
        query = query.where(Case.due_at >= filters.due_after)
    if filters.due_soon:
        query = query.where(
            Case.due_at >= now,
            Case.due_at <= due_soon_until(now, working_calendar()),
            Case.state.not_in(final_states()),
        )
    if filters.changed_after is not None:
        query = query.where(Case.updated_at >= filters.changed_after)
    if filters.q:
        pattern = f"%{_escape_like(filters.q.strip().lower())}%"
        query = query.where(
            or_(
                func.lower(Case.title).like(pattern, escape="\\"),
                func.lower(Case.description).like(pattern, escape="\\"),
                Case.reference == filters.q.strip().upper(),
            )
        )
    return query


def search_cases(
    actor: User,
    filters: CaseFilters,
    *,
    sort: str = "-created_at",
    page: int = 1,
    per_page: int = 25,
    now: datetime | None = None,
) -> Page:
    """Return one page of the actor's cases matching the filters, and their total."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    query = filtered_cases(actor, filters, now)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = db.session.scalars(
        query.order_by(*_ordering(sort)).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return Page(list(items), total or 0, page, per_page)


def paged(query: Select, order: list[Any], *, page: int = 1, per_page: int = 25) -> Page:
    """One page of a query's rows in the given order, and the total (lists other than cases)."""
    per_page, page = max(1, min(per_page, MAX_PER_PAGE)), max(1, page)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = db.session.scalars(query.order_by(*order).limit(per_page).offset((page - 1) * per_page))
    return Page(list(items), total, page, per_page)


def _ordering(sort: str) -> list[Any]:
    descending = sort.startswith("-")
    name = sort.lstrip("-+")
    if name not in SORTABLE:
        name, descending = "created_at", True
    column = getattr(Case, name)
    primary = column.desc().nulls_last() if descending else column.asc().nulls_last()
    return [primary, Case.id.desc() if descending else Case.id.asc()]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
