"""What one actor may see of a case and its timeline: presentation-free views for API and web."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm.attributes import set_committed_value

from tracker import access
from tracker.extensions import db
from tracker.models import Agency, Case, Event, Referral, User
from tracker.raiser_channel import preferred_channel
from tracker.services.confidentiality import teams_of
from tracker.services.timeline import timeline
from tracker.services.transitions import available_triggers
from tracker.workflow_registry import transition_of
from workflows.spec import Field as FieldSpec

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


def agency_ids_in(spec: FieldSpec, data: dict[str, Any]) -> list[int]:
    """The agency ids an event's data holds for one field (a list field also by its single
    name: events written before several agencies could be named)."""
    if spec.type == "agency":
        value = data.get(spec.name)
        return [value] if isinstance(value, int) else []
    if spec.type != "agencies":
        return []
    values = data.get(spec.name)
    if not isinstance(values, list):
        values = [data.get(spec.single)] if spec.single else []
    return [v for v in values if isinstance(v, int)]


def agencies_named(case: Case, events: list[EventView]) -> dict[int, Agency]:
    """The agencies the transitions' agency fields name, read in one query."""
    ids: set[int] = set()
    for event in events:
        transition = transition_of(case.workflow, event.trigger)
        for spec in transition.fields.values() if transition else ():
            ids.update(agency_ids_in(spec, event.data))
    if not ids:
        return {}
    return {a.id: a for a in db.session.scalars(select(Agency).where(Agency.id.in_(ids)))}


def latest_referrals(case: Case) -> list[Referral]:
    """The referrals of the case's latest ``refer`` (one may name several agencies), the lead
    agency's first."""
    if not case.referrals:
        return []
    latest = case.referrals[-1].referred_at
    found = [r for r in case.referrals if r.referred_at == latest]
    return sorted(found, key=lambda r: r.agency_id != case.agency_id)


def latest_agency_ids(case: Case) -> list[int]:
    """The agencies the case was last referred to, the lead one first."""
    return [r.agency_id for r in latest_referrals(case)]


def load_referrals(cases: Sequence[Case]) -> None:
    """Read the referrals of the cases that have not read theirs yet, in one query (in the
    relationship's own order), rather than one query per case."""
    todo = {c.id: c for c in cases if c.id is not None and "referrals" in inspect(c).unloaded}
    if not todo:
        return
    found: dict[int, list[Referral]] = {case_id: [] for case_id in todo}
    query = select(Referral).where(Referral.case_id.in_(todo))
    for referral in db.session.scalars(query.order_by(*Case.referrals.property.order_by)):
        found[referral.case_id].append(referral)
    for case_id, case in todo.items():
        set_committed_value(case, "referrals", found[case_id])


def case_views(actor: User, cases: Sequence[Case]) -> list[dict[str, Any]]:
    """The views of several cases (a page of a list): their referrals and teams are read in
    one query each, whatever the number of cases."""
    load_referrals(cases)
    teams = teams_of(cases) if access.is_staff(actor) else {}
    return [_case_view(actor, case, teams.get(case.id, [])) for case in cases]


def case_view(actor: User, case: Case) -> dict[str, Any]:
    """The case's fields this actor may see, and the triggers they may fire now."""
    return case_views(actor, [case])[0]


def _case_view(actor: User, case: Case, team_ids: list[int]) -> dict[str, Any]:
    view = {name: getattr(case, name) for name in CASE_FIELDS}
    view["channel"] = preferred_channel(case.channel, case.raised_by_email, case.raised_by_phone)
    if not access.can_see_personal_data(actor, case):
        # The channel tells whether an email or a phone is known: personal data too.
        for name in (*access.PERSONAL_FIELDS, "channel"):
            view[name] = None
    view["public_summary_approved"] = case.public_summary_approved_at is not None
    staff = access.is_staff(actor)
    view["confidential"] = case.confidential if staff else None
    view["team_ids"] = team_ids if staff else None
    view["agency_ids"] = latest_agency_ids(case)
    view["referrals"] = [
        {
            "agency_id": r.agency_id,
            "referred_at": r.referred_at,
            "due_at": r.due_at,
            "answered_at": r.answered_at,
        }
        for r in case.referrals
        if access.can_see_referral(actor, case, r.agency_id, r.referred_at)
    ]
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
        hidden = (
            access.internal_event_fields(case, event) | access.answer_fields(case, event)
            if hide_note
            else frozenset()
        )
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
