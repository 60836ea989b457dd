"""Link related cases: one link per pair, shown on both cases, an event on both timelines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select

from tracker import access
from tracker.audit import record_event
from tracker.extensions import db
from tracker.models import Case, CaseLink, User, now_utc
from tracker.services.cases import get_case
from tracker.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tracker.services.unit_of_work import unit_of_work


def other_case(actor: User, case: Case, reference: Any, field: str) -> Case:
    """The other case a request names in ``field``: visible to the actor and not this one;
    else a validation error naming the field (the request itself is fine, its value is not)."""
    if not isinstance(reference, str) or not reference.strip():
        raise ValidationFailed("Name the other case.", {field: ["This field is required."]})
    reference = reference.strip().upper()
    try:
        other = get_case(actor, reference)
    except NotFound as exc:
        raise ValidationFailed(exc.detail, {field: ["No such case."]}) from exc
    if other.id == case.id:
        raise ValidationFailed("Name another case than this one.", {field: ["Name another case."]})
    return other


def _pair(a: Case, b: Case) -> tuple[int, int]:
    return (a.id, b.id) if a.id < b.id else (b.id, a.id)


def _link_of(a: Case, b: Case) -> CaseLink | None:
    low, high = _pair(a, b)
    return db.session.scalar(
        select(CaseLink).where(CaseLink.low_case_id == low, CaseLink.high_case_id == high)
    )


def _checked_pair(actor: User, reference: str, other_reference: Any) -> tuple[Case, Case]:
    case = get_case(actor, reference)
    if not access.can_edit_case(actor, case):
        raise PermissionDenied("Only case officers link cases.")
    return case, other_case(actor, case, other_reference, "reference")


def link_cases(
    actor: User,
    reference: str,
    other_reference: Any,
    *,
    now: datetime | None = None,
    remote_addr: str | None = None,
) -> Case:
    """Link two related cases (staff); both timelines record it. Returns the other case."""
    case, other = _checked_pair(actor, reference, other_reference)
    if _link_of(case, other) is not None:
        raise Conflict("These cases are linked already.")
    now = now or now_utc()
    low, high = _pair(case, other)
    with unit_of_work():
        db.session.add(CaseLink(low_case_id=low, high_case_id=high, created_by_id=actor.id))
        _record_both(case, other, "linked", actor, now, remote_addr)
    return other


def unlink_cases(
    actor: User,
    reference: str,
    other_reference: Any,
    *,
    now: datetime | None = None,
    remote_addr: str | None = None,
) -> Case:
    """Remove the link between two cases (staff); both timelines record it."""
    case, other = _checked_pair(actor, reference, other_reference)
    link = _link_of(case, other)
    if link is None:
        raise NotFound(f"{case.reference} and {other.reference} are not linked.")
    now = now or now_utc()
    with unit_of_work():
        db.session.delete(link)
        _record_both(case, other, "unlinked", actor, now, remote_addr)
    return other


def _record_both(
    case: Case, other: Case, kind: str, actor: User, now: datetime, remote_addr: str | None
) -> None:
    """An event on each case naming the other; both rows change version (a racing twin loses)."""
    for this, that in ((case, other), (other, case)):
        this.updated_at = now
        record_event(
            this,
            kind,
            actor,
            now,
            note=that.reference,
            data={"reference": that.reference},
            remote_addr=remote_addr,
        )


def linked_cases(actor: User, case: Case) -> list[Case]:
    """The cases linked to this one that the actor may see, oldest first."""
    linked = or_(
        and_(CaseLink.low_case_id == case.id, CaseLink.high_case_id == Case.id),
        and_(CaseLink.high_case_id == case.id, CaseLink.low_case_id == Case.id),
    )
    # Through visible_cases: a linked case the actor may not see stays hidden.
    query = access.visible_cases(actor).join(CaseLink, linked).order_by(Case.id)
    return list(db.session.scalars(query))
