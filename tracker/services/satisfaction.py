"""Satisfaction: the raisers' answers to "Was it resolved?" per category and per agency,
within the cases the actor may see (one grouped query per dimension)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func

from tracker import access
from tracker.extensions import db
from tracker.field_spec import FEEDBACK_ANSWERS
from tracker.models import Case, Feedback, User
from tracker.services.case_queries import CaseFilters, filtered_cases

# Dimension → the case column it groups by (agencies by id: the agency the case was referred to).
SATISFACTION_BY = {"category": Case.category, "agency": Case.agency_id}


@dataclass(frozen=True)
class SatisfactionRow:
    """The answers given for the cases of one category or agency."""

    value: Any
    yes: int
    partly: int
    no: int

    @property
    def answers(self) -> int:
        """How many answers were given."""
        return self.yes + self.partly + self.no

    @property
    def share_yes(self) -> float | None:
        """The share of answers that said yes (None without answers)."""
        return self.yes / self.answers if self.answers else None


def satisfaction(actor: User, by: str) -> list[SatisfactionRow]:
    """Yes / partly / no per category or agency, most answers first."""
    column = SATISFACTION_BY[by]
    query = (
        filtered_cases(actor, CaseFilters(), base=access.reported_cases(actor))
        .join(Feedback, Feedback.case_id == Case.id)
        .with_only_columns(column, Feedback.resolved, func.count(Feedback.id))
        .group_by(column, Feedback.resolved)
    )
    counts: dict[Any, dict[str, int]] = {}
    for value, resolved, count in db.session.execute(query):
        counts.setdefault(value, dict.fromkeys(FEEDBACK_ANSWERS, 0))[resolved] = count
    rows = [SatisfactionRow(value, c["yes"], c["partly"], c["no"]) for value, c in counts.items()]
    return sorted(rows, key=lambda row: (-row.answers, str(row.value)))
