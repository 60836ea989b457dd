"""The public status of one case, for anyone holding its reference and access code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from tracker.extensions import db
from tracker.models import Case, Event
from tracker.services.errors import NotFound
from tracker.services.public_answer import PublicAnswer, public_answer
from tracker.services.references import access_code_matches, hash_access_code, needs_rehash

_NOT_FOUND = "No case matches this reference and access code."


@dataclass(frozen=True)
class PublicEvent:
    """A public step of the case: what happened and when; no people, no notes."""

    at: datetime
    kind: str
    trigger: str | None
    from_state: str | None
    to_state: str | None


@dataclass(frozen=True)
class PublicCase:
    """State, dates and the public timeline of a case; no names, contacts or notes."""

    reference: str
    title: str
    state: str
    category: str
    outcome: str | None
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None
    timeline: list[PublicEvent]
    answer: PublicAnswer
    # The case this one was merged into as a duplicate (its reference), if it was.
    merged_into: str | None = None

    @property
    def resolution_public(self) -> str | None:
        """The answer the officer wrote for the public (once closed)."""
        return self.answer.resolution_public

    @property
    def agency(self) -> str | None:
        """The name of the agency that answered (English)."""
        return self.answer.agency_en

    @property
    def working_days(self) -> int | None:
        """Working days from logging to closing (once closed)."""
        return self.answer.working_days


def find_by_code(reference: str, access_code: str) -> Case:
    """The case with this reference and access code, or NotFound alike for either wrong."""
    reference = (reference or "").strip().upper()
    case = None
    if 0 < len(reference) <= 40 and reference.isprintable():
        case = db.session.scalar(select(Case).where(Case.reference == reference))
    code = access_code if isinstance(access_code, str) and len(access_code) <= 100 else ""
    # With no case, compare against a keyed hash anyway, so both failures cost the same.
    stored = case.access_code_hash if case else hash_access_code("no-such-case")
    if case is not None and access_code_matches(stored, code):
        if needs_rehash(stored):
            _rehash(case, code)
        return case
    # Each further raiser holds their own code for the case (never legacy-hashed).
    if case is None or not any(access_code_matches(r.access_code_hash, code) for r in case.raisers):
        raise NotFound(_NOT_FOUND)
    return case


def lookup_public_case(reference: str, access_code: str) -> PublicCase:
    """Return the public view, or NotFound alike for an unknown reference and a wrong code."""
    case = find_by_code(reference, access_code)
    events = db.session.scalars(
        select(Event)
        .where(Event.case_id == case.id, Event.public.is_(True))
        .order_by(Event.at, Event.id)
    )
    return PublicCase(
        reference=case.reference,
        title=case.title,
        state=case.state,
        category=case.category,
        outcome=case.outcome,
        created_at=case.created_at,
        updated_at=case.updated_at,
        due_at=case.due_at,
        timeline=[PublicEvent(e.at, e.kind, e.trigger, e.from_state, e.to_state) for e in events],
        answer=public_answer(case, with_feedback=True),
        merged_into=case.merged_into.reference if case.merged_into is not None else None,
    )


def _rehash(case: Case, code: str) -> None:
    """Replace a legacy unkeyed hash by a keyed one, now that the right code is known.

    A plain UPDATE: this is no change of the case (no new version, ETag or updated_at), and a
    concurrent lookup that rehashed first simply makes this one match no row.
    """
    old = case.access_code_hash
    table = Case.__table__
    db.session.execute(
        update(table)
        .where(table.c.id == case.id, table.c.access_code_hash == old)
        .values(access_code_hash=hash_access_code(code), updated_at=table.c.updated_at)
    )
    db.session.commit()
