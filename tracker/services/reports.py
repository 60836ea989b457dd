"""Report figures, always within what the actor may see: counts by one or two dimensions, a
crossing table, the ageing of open cases and each agency's performance on its referrals.

Every figure is one or two set-based queries, however many cases there are."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select

from tracker import access
from tracker.extensions import db
from tracker.models import Agency, Case, Referral, User, now_utc
from tracker.raiser_list import anonymous_case
from tracker.services.case_queries import CaseFilters, filtered_cases
from tracker.services.errors import ValidationFailed
from tracker.services.report_days import as_date, histogram_median
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
    filters = filters or CaseFilters()
    # One scan for the rows and the total: grouped by confidentiality as well, the
    # confidential groups count in the total only (access.reported_cases is the scope without
    # the confidential cases).
    query = summary_query(actor, names, filters)
    counts: Counter[tuple[Any, ...]] = Counter()
    total = 0
    for values in db.session.execute(query):
        total += values[-1]
        if not values[-2]:
            counts[tuple(values[:-2])] += values[-1]
    rows = [{**dict(zip(names, key, strict=True)), "count": count} for key, count in counts.items()]
    rows.sort(key=lambda row: (-row["count"], *(_sort_key(row[n]) for n in names)))
    anonymous = count_anonymous(actor, filters) if with_anonymous else None
    return Summary(names, rows, total, anonymous)


def summary_query(actor: User, names: list[str], filters: CaseFilters | None = None) -> Select:
    """(dimension values…, confidential, count) of the actor's counted cases (the summary's
    and the crossings' one query)."""
    columns = [DIMENSIONS[name] for name in names]
    return (
        filtered_cases(actor, filters or CaseFilters(), base=access.case_scope(actor))
        .where(counted_once())
        .with_only_columns(*columns, Case.confidential, func.count())
        .group_by(*columns, Case.confidential)
    )


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


def open_states() -> list[str]:
    """The states of every workflow that are not final, in workflow order."""
    return [s for s in registry().states if s not in final_states()]


def ageing_query(actor: User, filters: CaseFilters | None = None) -> Select:
    """(state, day of logging, count) of the actor's open cases (the ageing report's query)."""
    return (
        filtered_cases(actor, filters or CaseFilters(), base=access.reported_cases(actor))
        .where(Case.state.in_(open_states()))
        .with_only_columns(Case.state, Case.logged_on, func.count())
        .group_by(Case.state, Case.logged_on)
    )


def age_open_cases(
    actor: User, now: datetime | None = None, filters: CaseFilters | None = None
) -> Ageing:
    """Bucket the actor's open cases by working days since logged: one query grouped by state
    and the stored day of logging (``ix_cases_state_logged_on``, an index-only scan on
    PostgreSQL), a few thousand rows back however many cases there are."""
    calendar = working_calendar()
    states = open_states()
    query = ageing_query(actor, filters)
    rows = [(state, as_date(logged), count) for state, logged, count in db.session.execute(query)]
    ages = _working_days_since(
        {logged for _, logged, _ in rows}, calendar.local_date(now or now_utc())
    )
    counts: Counter[tuple[str, str]] = Counter()
    for state, logged, count in rows:
        counts[(_bucket(ages[logged]), state)] += count
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
    """The agency figures over a query of referrals (the actor's, or all for the scorecard):
    one query grouped by agency and stored response days (``Referral.response_days``), so the
    counts and the exact median come from a few hundred rows however many referrals."""
    tallies: dict[int, Counter[str]] = defaultdict(Counter)
    histograms: dict[int, Counter[int]] = defaultdict(Counter)
    for agency_id, days, count, answered, on_time, overdue in _referral_tallies(
        referrals, now or now_utc()
    ):
        tally = tallies[agency_id]
        tally.update(referrals=count, answered=answered, on_time=on_time, overdue=overdue)
        if days is not None and answered:
            histograms[agency_id][days] += answered
    agencies = db.session.scalars(
        select(Agency).where(Agency.id.in_(list(tallies))).order_by(Agency.code)
    )
    return [
        AgencyPerformance(
            agency.id,
            agency.code,
            agency.name_en,
            agency.name_km,
            referrals=(tally := tallies[agency.id])["referrals"],
            answered=tally["answered"],
            answered_on_time=tally["on_time"],
            overdue=tally["overdue"],
            share_on_time=_share(tally["on_time"], tally["answered"] + tally["overdue"]),
            median_response_days=histogram_median(histograms[agency.id]),
        )
        for agency in agencies
    ]


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _referral_tallies(referrals: Select, now: datetime) -> list[Any]:
    return list(db.session.execute(referral_tallies_query(referrals, now)).all())


def referral_tallies_query(referrals: Select, now: datetime) -> Select:
    """(agency id, response days, referrals, answered, on time, overdue) per agency and
    response days (None while unanswered): the agency figures' one query."""
    answered = Referral.answered_at.is_not(None)
    in_time = or_(Referral.due_at.is_(None), Referral.answered_at <= Referral.due_at)
    overdue = and_(Referral.answered_at.is_(None), Referral.due_at < now)
    return referrals.with_only_columns(
        Referral.agency_id,
        Referral.response_days,
        func.count(),
        func.count(Referral.answered_at),
        _count_where(and_(answered, in_time)),
        _count_where(overdue),
    ).group_by(Referral.agency_id, Referral.response_days)


def _count_where(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)
