"""Report figures, always within what the actor may see: counts by one or two dimensions, a
crossing table, the ageing of open cases and each agency's performance on its referrals.

Every figure is one or two set-based queries, however many cases there are."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, func, or_

from tracker import access
from tracker.extensions import db
from tracker.models import Agency, Case, Referral, User, now_utc
from tracker.raiser_list import anonymous_case
from tracker.services.case_queries import CaseFilters, filtered_cases
from tracker.services.errors import ValidationFailed
from tracker.services.report_days import (
    as_date,
    histogram_median,
    local_day,
    working_day_numbers,
)
from tracker.workflow_registry import final_states, registry
from tracker.working_days import working_calendar
from workflows.vocabulary import MERGED_OUTCOME

# Dimension name → the column it groups by (agency and forum answer with their ids).
DIMENSIONS = {
    "state": Case.state,
    "category": Case.category,
    "province": Case.province,
    "gender_focus": Case.gender_focus,
    "agency": Case.agency_id,
    "forum": Case.forum_id,
}
MAX_DIMENSIONS = 2


@dataclass(frozen=True)
class Summary:
    """Rows like {"category": "maternity", "count": 12}, largest first, and their total."""

    by: list[str]
    rows: list[dict[str, Any]]
    total: int
    # Of the total, the concerns raised with no name and no contact (None: not counted).
    anonymous: int | None = None


def parse_dimensions(by: str | Sequence[str]) -> list[str]:
    """Read "category" or "category,province" into checked dimension names."""
    names = [n.strip() for n in by.split(",")] if isinstance(by, str) else [*by]
    problems = []
    if not 1 <= len(names) <= MAX_DIMENSIONS or len(set(names)) != len(names):
        problems.append(f"Give one or {MAX_DIMENSIONS} different dimensions.")
    unknown = [n for n in names if n not in DIMENSIONS]
    if unknown:
        problems.append(f"Unknown dimension; use: {', '.join(DIMENSIONS)}.")
    if problems:
        raise ValidationFailed("The report dimensions are not valid.", {"by": problems})
    return names


def counted_once() -> Any:
    """SQL condition: the case counts in reports. A duplicate (closed with the outcome a merge
    records) is counted in the case it duplicates, so the pair counts once."""
    return or_(Case.outcome.is_(None), Case.outcome != MERGED_OUTCOME)


def summarise_cases(
    actor: User,
    by: str | Sequence[str],
    filters: CaseFilters | None = None,
    *,
    with_anonymous: bool = False,
) -> Summary:
    """Count the actor's cases (optionally filtered) grouped by the dimensions; duplicates
    count once (``counted_once``); with ``with_anonymous``, also how many are anonymous.

    Confidential cases are left out of the rows and counted in ``total`` only (so the rows
    may add up to less than the total)."""
    names = parse_dimensions(by)
    columns = [DIMENSIONS[name] for name in names]
    filters = filters or CaseFilters()
    query = (
        filtered_cases(actor, filters, base=access.reported_cases(actor))
        .where(counted_once())
        .with_only_columns(*columns, func.count(Case.id))
        .group_by(*columns)
    )
    rows = [
        {**dict(zip(names, values[:-1], strict=True)), "count": values[-1]}
        for values in db.session.execute(query)
    ]
    rows.sort(key=lambda row: (-row["count"], *(_sort_key(row[n]) for n in names)))
    anonymous = count_anonymous(actor, filters) if with_anonymous else None
    return Summary(names, rows, count_in_total(actor, filters), anonymous)


def count_in_total(actor: User, filters: CaseFilters) -> int:
    """How many cases a report's total counts: the actor's, confidential ones included,
    a merged duplicate not (it is counted in the case it duplicates)."""
    scope = filtered_cases(actor, filters, base=access.case_scope(actor)).where(counted_once())
    return db.session.scalar(scope.with_only_columns(func.count(Case.id))) or 0


def count_anonymous(actor: User, filters: CaseFilters | None = None) -> int:
    """How many of the cases a report's total counts were raised with no name and no contact."""
    query = (
        filtered_cases(actor, filters or CaseFilters(), base=access.case_scope(actor))
        .where(counted_once(), anonymous_case())
        .with_only_columns(func.count(Case.id))
    )
    return int(db.session.scalar(query) or 0)


def _sort_key(value: Any) -> tuple[bool, str]:
    return (value is None, str(value))


@dataclass(frozen=True)
class CrossTable:
    """Counts of one dimension (rows) against another (columns), with both totals."""

    row_dimension: str
    column_dimension: str
    rows: list[Any]
    columns: list[Any]
    cells: dict[tuple[Any, Any], int]
    row_totals: dict[Any, int]
    column_totals: dict[Any, int]
    total: int

    def count(self, row: Any, column: Any) -> int:
        """The count of one cell (0 when no case has that pair)."""
        return self.cells.get((row, column), 0)


def cross_cases(
    actor: User, rows: str, columns: str, filters: CaseFilters | None = None
) -> CrossTable:
    """Cross two dimensions of the actor's visible cases; values largest first (states in
    workflow order)."""
    summary = summarise_cases(actor, [rows, columns], filters)
    cells: dict[tuple[Any, Any], int] = {}
    row_totals: Counter[Any] = Counter()
    column_totals: Counter[Any] = Counter()
    for row in summary.rows:
        key = (row[rows], row[columns])
        cells[key] = row["count"]
        row_totals[key[0]] += row["count"]
        column_totals[key[1]] += row["count"]
    return CrossTable(
        rows,
        columns,
        _ordered(rows, row_totals),
        _ordered(columns, column_totals),
        cells,
        dict(row_totals),
        dict(column_totals),
        summary.total,
    )


def _ordered(dimension: str, totals: Counter[Any]) -> list[Any]:
    """States in workflow order; other values largest first."""
    if dimension == "state":
        order = list(registry().states)
        return sorted(totals, key=lambda s: order.index(s) if s in order else len(order))
    return sorted(totals, key=lambda value: (-totals[value], *_sort_key(value)))


# Working days since a case was logged: (label, first day, last day or None for "and more").
AGE_BUCKETS = (("0-5", 0, 5), ("6-10", 6, 10), ("11-20", 11, 20), ("21+", 21, None))


@dataclass(frozen=True)
class AgeBucket:
    """Open cases logged between ``low`` and ``high`` working days ago, in all and per state."""

    label: str
    low: int
    high: int | None
    count: int
    by_state: dict[str, int]


@dataclass(frozen=True)
class Ageing:
    """Open cases by working days since they were logged."""

    buckets: list[AgeBucket]
    states: list[str]
    total: int


def age_open_cases(
    actor: User, now: datetime | None = None, filters: CaseFilters | None = None
) -> Ageing:
    """Bucket the actor's open cases by working days since logged (one query, grouped by state
    and local day in the database: thousands of rows back however many cases)."""
    calendar = working_calendar()
    day = local_day(Case.created_at, calendar)
    query = (
        filtered_cases(actor, filters or CaseFilters(), base=access.reported_cases(actor))
        .where(Case.state.not_in(final_states()))
        .with_only_columns(Case.state, day, func.count(Case.id))
        .group_by(Case.state, day)
    )
    rows = [(state, as_date(logged), count) for state, logged, count in db.session.execute(query)]
    ages = _working_days_since(
        {logged for _, logged, _ in rows}, calendar.local_date(now or now_utc())
    )
    counts: Counter[tuple[str, str]] = Counter()
    for state, logged, count in rows:
        counts[(_bucket(ages[logged]), state)] += count
    states = [s for s in registry().states if s not in final_states()]
    buckets = [
        AgeBucket(
            label,
            low,
            high,
            sum(counts[(label, s)] for s in states),
            {s: counts[(label, s)] for s in states},
        )
        for label, low, high in AGE_BUCKETS
    ]
    return Ageing(buckets, states, sum(count for _, _, count in rows))


def _bucket(days: int) -> str:
    for label, low, high in AGE_BUCKETS:
        if days >= low and (high is None or days <= high):
            return label
    return AGE_BUCKETS[0][0]


def _working_days_since(days: set[date], today: date) -> dict[date, int]:
    """Working days after each date up to today, counted in one walk back from today."""
    calendar = working_calendar()
    result: dict[date, int] = {}
    count, cursor = 0, today
    for start in sorted(days, reverse=True):
        while cursor > start:
            count += calendar.is_working_day(cursor)
            cursor -= timedelta(days=1)
        result[start] = count
    return result


@dataclass(frozen=True)
class AgencyPerformance:
    """How one agency answered the referrals the actor may count.

    ``share_on_time`` is answered on time / (answered + overdue): referrals still within their
    deadline are not judged yet. Response times are working days from referral to answer.
    """

    agency_id: int
    code: str
    name_en: str
    name_km: str
    referrals: int
    answered: int
    answered_on_time: int
    overdue: int
    share_on_time: float | None
    median_response_days: float | None


def agency_performance(actor: User, now: datetime | None = None) -> list[AgencyPerformance]:
    """Per agency: referrals, answered, answered by the deadline, overdue, median response."""
    return performance_of(access.reported_referrals(actor), now)


def performance_of(referrals: Select, now: datetime | None = None) -> list[AgencyPerformance]:
    """The agency figures over a query of referrals (the actor's, or all for the scorecard)."""
    medians = _median_response_days(referrals)
    return [
        AgencyPerformance(
            agency_id,
            code,
            name_en,
            name_km,
            referrals=referrals,
            answered=answered,
            answered_on_time=on_time,
            overdue=overdue,
            share_on_time=on_time / (answered + overdue) if answered + overdue else None,
            median_response_days=medians.get(agency_id),
        )
        for agency_id, code, name_en, name_km, referrals, answered, on_time, overdue in (
            _referral_counts(referrals, now or now_utc())
        )
    ]


def _referral_counts(referrals: Select, now: datetime) -> list[Any]:
    """(agency id, code, names, referrals, answered, on time, overdue) per agency, one query."""
    answered = Referral.answered_at.is_not(None)
    in_time = or_(Referral.due_at.is_(None), Referral.answered_at <= Referral.due_at)
    overdue = and_(Referral.answered_at.is_(None), Referral.due_at < now)
    agency_columns = (Agency.id, Agency.code, Agency.name_en, Agency.name_km)
    query = (
        referrals.join(Agency, Agency.id == Referral.agency_id)
        .with_only_columns(
            *agency_columns,
            func.count(Referral.id),
            func.count(Referral.answered_at),
            _count_where(and_(answered, in_time)),
            _count_where(overdue),
        )
        .group_by(*agency_columns)
        .order_by(Agency.code)
    )
    return list(db.session.execute(query).all())


def _count_where(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _median_response_days(referrals: Select) -> dict[int, float]:
    """Median working days from referral to answer, per agency: one query counting the
    referrals per (agency, working days), the days numbered by a calendar table in SQL."""
    answered = referrals.where(Referral.answered_at.is_not(None))
    span = db.session.execute(
        answered.with_only_columns(func.min(Referral.referred_at), func.max(Referral.answered_at))
    ).one()
    if span[0] is None:
        return {}
    calendar = working_calendar()
    first = calendar.local_date(min(span)) - timedelta(days=1)
    last = calendar.local_date(max(span)) + timedelta(days=1)
    numbers = working_day_numbers(first, last, calendar)
    referred, answered_day = numbers.alias("referred_day"), numbers.alias("answered_day")
    days = answered_day.c.n - referred.c.n
    query = (
        answered.join(referred, referred.c.day == local_day(Referral.referred_at, calendar))
        .join(answered_day, answered_day.c.day == local_day(Referral.answered_at, calendar))
        .with_only_columns(Referral.agency_id, days, func.count(Referral.id))
        .group_by(Referral.agency_id, days)
    )
    histograms: dict[int, Counter[int]] = {}
    for agency_id, count_days, count in db.session.execute(query):
        histograms.setdefault(agency_id, Counter())[max(0, count_days)] += count
    return {agency_id: histogram_median(histogram) for agency_id, histogram in histograms.items()}
