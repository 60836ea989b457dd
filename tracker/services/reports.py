"""Counts of cases by one or two dimensions, always within what the actor may see."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func

from tracker.extensions import db
from tracker.models import Case, User
from tracker.services.case_queries import CaseFilters, filtered_cases
from tracker.services.errors import ValidationFailed

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


def summarise_cases(
    actor: User, by: str | Sequence[str], filters: CaseFilters | None = None
) -> Summary:
    """Count the actor's visible cases (optionally filtered) grouped by the dimensions."""
    names = parse_dimensions(by)
    columns = [DIMENSIONS[name] for name in names]
    query = (
        filtered_cases(actor, filters or CaseFilters())
        .with_only_columns(*columns, func.count(Case.id))
        .group_by(*columns)
    )
    rows = [
        {**dict(zip(names, values[:-1], strict=True)), "count": values[-1]}
        for values in db.session.execute(query)
    ]
    rows.sort(key=lambda row: (-row["count"], *(_sort_key(row[n]) for n in names)))
    return Summary(by=names, rows=rows, total=sum(row["count"] for row in rows))


def _sort_key(value: Any) -> tuple[bool, str]:
    return (value is None, str(value))
