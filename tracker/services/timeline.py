"""Read a case's audit trail in order."""

from __future__ import annotations

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Case, Event


def timeline(case: Case) -> list[Event]:
    """Return every event of the case, oldest first."""
    return list(
        db.session.scalars(
            select(Event).where(Event.case_id == case.id).order_by(Event.at, Event.id)
        )
    )
