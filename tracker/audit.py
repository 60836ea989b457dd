"""Write the audit trail: every change of a case leaves one event in the same transaction.

Shared by the services and by notifications (a delivery that fails for good is recorded on
the case); listeners hear of each event through tracker.signals.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tracker.extensions import db
from tracker.models import Case, Event, User
from tracker.signals import event_recorded


def record_event(
    case: Case,
    kind: str,
    actor: User | None,
    at: datetime,
    *,
    note: str = "",
    data: dict[str, Any] | None = None,
    trigger: str | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    public: bool = False,
    remote_addr: str | None = None,
    actor_label: str | None = None,
    stay_seconds: float | None = None,
) -> Event:
    """Add an event to the session (the caller commits) and announce it to the listeners.

    ``actor_label`` names an actor without an account (the public, an agency's answer link).
    """
    event = Event(
        case_id=case.id,
        kind=kind,
        trigger=trigger,
        from_state=from_state,
        to_state=to_state,
        actor_id=actor.id if actor else None,
        actor_label=actor_label or ((actor.name or actor.email) if actor else "system"),
        note=note,
        data=data or {},
        public=public,
        remote_addr=remote_addr,
        stay_seconds=stay_seconds,
        at=at,
    )
    db.session.add(event)
    db.session.flush()
    event_recorded.send(case, event=event)
    return event
