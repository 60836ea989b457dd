"""A case's audit trail as the reader may see it: who did what, when, with which note."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from tracker import access
from tracker.extensions import db
from tracker.models import Agency, Case, Event, User
from tracker.services.case_views import is_internal_comment
from tracker.services.timeline import timeline
from tracker.web.choices import agency_label, code_label
from tracker.web.transitions import trigger_label


@dataclass(frozen=True)
class Entry:
    """One line of the timeline."""

    at: datetime
    kind: str
    who: str
    what: str
    detail: str
    note: str
    internal: bool


def _what(event: Event) -> str:
    if event.kind == "created":
        return _("Logged the concern")
    if event.kind == "transition":
        return _(
            "%(action)s: %(from)s → %(to)s",
            action=trigger_label(event.trigger or ""),
            **{
                "from": code_label("state", event.from_state),
                "to": code_label("state", event.to_state),
            },
        )
    if event.kind == "assigned":
        return _("Assigned the case to %(name)s", name=event.note)
    if event.kind == "edited":
        return _("Edited the case")
    if event.kind == "code_reissued":
        return _("Issued a new access code (the old one no longer works)")
    internal = (event.data or {}).get("internal", False)
    return _("Added an internal note") if internal else _("Added a comment")


def _detail(event: Event) -> str:
    data = event.data or {}
    if event.trigger == "refer" and isinstance(data.get("agency_id"), int):
        return agency_label(db.session.get(Agency, data["agency_id"]))
    if event.trigger == "close" and data.get("outcome"):
        return code_label("outcome", data["outcome"])
    if event.kind == "edited":
        return ", ".join(data.get("fields", []))
    return ""


def visible_timeline(actor: User, case: Case) -> list[Entry]:
    """The case's events, newest first, with notes only where the actor may read them; internal
    notes the actor may not read are left out altogether (as in the API's timeline)."""
    entries = []
    for event in timeline(case):
        readable = access.can_see_event_note(actor, case, event)
        if not readable and is_internal_comment(event):
            continue
        shows_note = event.kind != "assigned" and readable
        entries.append(
            Entry(
                at=event.at,
                kind=event.kind,
                who=event.actor_label,
                what=_what(event),
                detail=_detail(event),
                note=event.note if shows_note else "",
                internal=bool((event.data or {}).get("internal"))
                or event.trigger in access.INTERNAL_NOTE_TRIGGERS,
            )
        )
    return list(reversed(entries))
