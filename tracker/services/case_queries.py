"""Find cases: filters, search, sorting and paging, always within what the actor sees."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import Select, func, or_, select

from tracker.access import reported_cases, visible_cases
from tracker.extensions import db
from tracker.models import Case, User, now_utc
from tracker.services.keyset import Order, decode_cursor, encode_cursor, seek_page
from tracker.services.list_estimates import kept_estimate
from tracker.workflow_registry import final_states
from tracker.working_days import working_calendar
from workflows.time_rules import due_soon_until

MAX_PER_PAGE = 100
DEFAULT_COUNT_LIMIT = 10_000
ESTIMATE_MARGIN = 5
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
    """One page of results, the total the actor may see, and the cursor of the next page.

    ``total`` is exact up to LIST_EXACT_COUNT_LIMIT matches; beyond, ``total_is_estimate`` is
    true and ``total`` is PostgreSQL's estimate (on SQLite: a lower bound)."""

    items: list[Case]
    total: int
    page: int
    per_page: int
    total_is_estimate: bool = False
    next_cursor: str | None = None

    @property
    def pages(self) -> int:
        """How many pages there are (as far as the total tells)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        """Tell whether a page follows this one."""
        return self.next_cursor is not None or self.page < self.pages


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


def filtered_cases(
    actor: User, filters: CaseFilters, now: datetime | None = None, *, base: Select | None = None
) -> Select:
    """The actor's visible cases (or ``base``: another of tracker.access's case sets) narrowed
    by the filters (unsorted, unpaged)."""
    query = visible_cases(actor) if base is None else base
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
        query = query.where(text_matches(filters.q))
    return query


def text_matches(q: str) -> Any:
    """SQL condition: the words are in the title or the description, or ``q`` is the reference.

    PostgreSQL: ILIKE, served by the pg_trgm GIN indexes (substrings, so Khmer too); elsewhere
    a LIKE on lower-cased text (a scan, fine for the embedded database)."""
    words = q.strip()
    pattern = f"%{_escape_like(words)}%"
    by_reference = Case.reference == words.upper()
    if db.session.get_bind().dialect.name == "postgresql":
        return or_(
            Case.title.ilike(pattern, escape="\\"),
            Case.description.ilike(pattern, escape="\\"),
            by_reference,
        )
    pattern = pattern.lower()
    return or_(
        func.lower(Case.title).like(pattern, escape="\\"),
        func.lower(Case.description).like(pattern, escape="\\"),
        by_reference,
    )


def search_cases(
    actor: User,
    filters: CaseFilters,
    *,
    sort: str = "-created_at",
    page: int = 1,
    per_page: int = 25,
    cursor: str | None = None,
    with_total: bool = True,
    now: datetime | None = None,
) -> Page:
    """One page of the actor's cases matching the filters, their total, and the next cursor.

    With ``cursor`` (the ``next_cursor`` of the page before) the page is found by seeking in
    the index; without, ``page`` counts pages from the start (OFFSET, for compatibility).
    ``with_total=False`` skips the count (exports walking the whole list)."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    query = filtered_cases(actor, filters, now)
    order = case_order(sort)
    if cursor:
        rows = seek_page(query, order, decode_cursor(order, cursor), per_page + 1)
    else:
        rows = list(
            db.session.scalars(
                query.order_by(*order.offset_clauses())
                .limit(per_page + 1)
                .offset((page - 1) * per_page)
            )
        )
    items = rows[:per_page]
    more = len(rows) > per_page
    if with_total:
        # The planner reads "not one of the confidential cases hidden from me" (a hashed
        # NOT IN) as half the rows whatever the list holds: it estimates the same filters
        # on the cases that are not confidential (all of which the actor sees) instead.
        estimate_of = filtered_cases(actor, filters, now, base=reported_cases(actor))
        # Who asks and what they filter decide the query: the key of its kept estimate.
        key = (actor.id, actor.role, actor.agency_id, actor.organisation_id, filters)
        total, estimated = count_matches(query, estimate_of, searched=bool(filters.q), key=key)
    else:
        total, estimated = 0, False
    return Page(
        items,
        total,
        page,
        per_page,
        total_is_estimate=estimated,
        next_cursor=encode_cursor(order, order.key_of(items[-1])) if more else None,
    )


def count_matches(
    query: Select,
    estimate_of: Select,
    searched: bool = False,
    key: Hashable | None = None,
) -> tuple[int, bool]:
    """The number of rows of the query, counted up to LIST_EXACT_COUNT_LIMIT (a text search:
    LIST_EXACT_SEARCH_COUNT_LIMIT), else estimated from ``estimate_of`` (the same rows as far
    as the planner can tell them apart).

    On PostgreSQL the planner is asked first (about a millisecond): when it expects far more
    than the limit (ESTIMATE_MARGIN times; for a search, any more), nothing is counted — a
    capped count of a common search word still reads and tests every match spread over a
    million rows (6,000 Khmer matches at 100,000 cases: 0.2–0.4 s); else the capped count
    decides, so a planner that overestimates never hides an exact small total. With ``key``
    the estimate is kept a minute (``list_estimates``)."""
    if searched:
        # A search tests each candidate's title and description (ILIKE, Khmer too): its exact
        # count stops lower, and the planner's estimate of it is trusted as it stands.
        limit, margin = current_app.config["LIST_EXACT_SEARCH_COUNT_LIMIT"], 1
    else:
        limit = current_app.config.get("LIST_EXACT_COUNT_LIMIT", DEFAULT_COUNT_LIMIT)
        margin = ESTIMATE_MARGIN
    expected = planner_estimate(estimate_of, key)
    if expected > margin * limit:
        return expected, True
    ids = query.order_by(None).with_only_columns(Case.id).limit(limit + 1).subquery()
    counted = db.session.scalar(select(func.count()).select_from(ids)) or 0
    if counted <= limit:
        return counted, False
    return max(limit + 1, expected), True


def planner_estimate(query: Select, key: Hashable | None = None) -> int:
    """PostgreSQL's estimate of the query's rows (0 elsewhere: the caller keeps its bound);
    with ``key``, the one kept for that key in the last minute if any."""
    if db.session.get_bind().dialect.name != "postgresql":
        return 0

    def ask() -> int:
        return int(explain(query.order_by(None))["Plan"]["Plan Rows"])

    return ask() if key is None else kept_estimate(key, ask)


def explain(query: Select, analyse: bool = False) -> dict[str, Any]:
    """PostgreSQL's plan of a query, as EXPLAIN's JSON (with ANALYZE: also run and timed)."""
    bind = db.session.get_bind()
    compiled = query.compile(dialect=bind.dialect, compile_kwargs={"render_postcompile": True})
    options = "ANALYZE, BUFFERS, FORMAT JSON" if analyse else "FORMAT JSON"
    plan = db.session.connection().exec_driver_sql(
        f"EXPLAIN ({options}) {compiled.string}", compiled.params
    )
    return plan.scalar_one()[0]


def page_query(actor: User, filters: CaseFilters, sort: str = "-created_at", size: int = 25):
    """The first page's query, as search_cases runs it (for plans and benchmarks)."""
    order = case_order(sort)
    return filtered_cases(actor, filters).order_by(*order.offset_clauses()).limit(size + 1)


def paged(query: Select, order: list[Any], *, page: int = 1, per_page: int = 25) -> Page:
    """One page of a query's rows in the given order, and the total (lists other than cases)."""
    per_page, page = max(1, min(per_page, MAX_PER_PAGE)), max(1, page)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = db.session.scalars(query.order_by(*order).limit(per_page).offset((page - 1) * per_page))
    return Page(list(items), total, page, per_page)


def case_order(sort: str) -> Order:
    """The order a sort name asks for ('-' first: descending); unknown names: newest first."""
    descending = sort.startswith("-")
    name = sort.lstrip("-+")
    if name not in SORTABLE:
        name, descending = "created_at", True
    column = Case.__table__.c[name]
    return Order(name, column, Case.__table__.c.id, descending, nullable=column.nullable)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
