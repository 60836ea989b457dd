"""What one actor may see of a case and its timeline: presentation-free views for API and web."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from tracker import access
from tracker.extensions import db
from tracker.models import Agency, Case, Event, User
from tracker.raiser_channel import preferred_channel
from tracker.services.timeline import timeline
from tracker.services.transitions import available_triggers
from tracker.workflow_registry import transition_of

CASE_FIELDS = (
    "reference",
    "title",
    "description",
    "category",
    "forum_id",
    "organisation_id",
    "raised_by_name",
    "raised_by_email",
    "raised_by_phone",
    "affected_group",
    "gender_focus",
    "people_affected",
    "province",
    "priority",
    "language",
    "owner_id",
    "agency_id",
    "workflow",
    "state",
    "due_at",
    "outcome",
    "public_summary",
    "consent_share",
    "created_at",
    "updated_at",
    "version",
)


@dataclass(frozen=True)
class EventView:
    """One timeline entry as this actor may see it (internal notes removed where needed)."""

    id: int
    kind: str
    trigger: str | None
    from_state: str | None
    to_state: str | None
    actor_id: int | None
    actor_label: str
    note: str | None
    at: datetime
    public: bool
    data: dict[str, Any] = field(default_factory=dict)
    internal: bool = False


def agencies_named(case: Case, events: list[EventView]) -> dict[int, Agency]:
    """The agencies the transitions' agency fields name, read in one query."""
    ids = set()
    for event in events:
        transition = transition_of(case.workflow, event.trigger)
        for name, spec in transition.fields.items() if transition else ():
            if spec.type == "agency" and isinstance(event.data.get(name), int):
                ids.add(event.data[name])
    if not ids:
        return {}
    return {a.id: a for a in db.session.scalars(select(Agency).where(Agency.id.in_(ids)))}


def case_view(actor: User, case: Case) -> dict[str, Any]:
    """The case's fields this actor may see, and the triggers they may fire now."""
    view = {name: getattr(case, name) for name in CASE_FIELDS}
    view["channel"] = preferred_channel(case.channel, case.raised_by_email, case.raised_by_phone)
    if not access.can_see_personal_data(actor, case):
        # The channel tells whether an email or a phone is known: personal data too.
        for name in (*access.PERSONAL_FIELDS, "channel"):
            view[name] = None
    view["public_summary_approved"] = case.public_summary_approved_at is not None
    view["available_transitions"] = available_triggers(actor, case)
    return view


def is_internal_comment(event: Event) -> bool:
    """Tell an internal comment (staff and referred agency only) from a shared one."""
    return event.kind == "commented" and bool((event.data or {}).get("internal"))


def visible_events(actor: User, case: Case) -> list[EventView]:
    """The case's timeline, oldest first, without what this actor may not read."""
    views = []
    for event in timeline(case):
        hide_note = not access.can_see_event_note(actor, case, event)
        if hide_note and is_internal_comment(event):
            continue
        hidden = access.internal_event_fields(case, event) if hide_note else frozenset()
        data = {k: v for k, v in (event.data or {}).items() if k not in hidden}
        views.append(
            EventView(
                id=event.id,
                kind=event.kind,
                trigger=event.trigger,
                from_state=event.from_state,
                to_state=event.to_state,
                actor_id=event.actor_id,
                actor_label=event.actor_label,
                note=None if hide_note else event.note,
                at=event.at,
                public=event.public,
                data=data,
                internal=access.is_internal_note(case, event),
            )
        )
    return views
