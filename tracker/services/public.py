"""The public status of one case, for whoever holds its reference and access code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Case, Event
from tracker.services.errors import NotFound
from tracker.services.references import access_code_matches


@dataclass(frozen=True)
class PublicStep:
    """One public entry of the timeline: when, and from which state to which."""

    at: datetime
    from_state: str | None
    to_state: str | None


@dataclass(frozen=True)
class PublicCase:
    """What the public may know of a case: no names, emails, phones or notes."""

    reference: str
    title: str
    state: str
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None
    timeline: list[PublicStep]


def lookup_public_case(reference: str, access_code: str) -> PublicCase:
    """Return the public status; a wrong code and an unknown reference both raise NotFound."""
    reference = (reference or "").strip().upper()
    case = db.session.scalar(select(Case).where(Case.reference == reference)) if reference else None
    if case is None or not access_code_matches(case.access_code_hash, access_code or ""):
        raise NotFound("No case matches this reference and access code.")
    events = db.session.scalars(
        select(Event)
        .where(Event.case_id == case.id, Event.public.is_(True))
        .order_by(Event.at, Event.id)
    )
    return PublicCase(
        reference=case.reference,
        title=case.title,
        state=case.state,
        created_at=case.created_at,
        updated_at=case.updated_at,
        due_at=case.due_at if case.state != "closed" else None,
        timeline=[PublicStep(e.at, e.from_state, e.to_state) for e in events],
    )
