"""A case's audit trail as the reader may see it, worded from the workflow definition."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from tracker.models import Agency, Case, User
from tracker.services.case_views import EventView, agencies_named, agency_ids_in, visible_events
from tracker.web.choices import agency_label, code_label
from tracker.web.transitions import choice_label, state_label, trigger_label
from tracker.workflow_registry import event_transition

NAMED_IN_WHAT = frozenset({"assigned", "linked", "unlinked", "merged"})


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


# How a confidential case was viewed (tracker.services.confidentiality.record_views).
VIEWED = {
    "page": lambda: _("Viewed the confidential case"),
    "api": lambda: _("Viewed the confidential case through the API"),
    "export": lambda: _("Viewed the confidential case in an export"),
}


def _what(case: Case, event: EventView) -> str:
    if event.kind == "created":
        return _("Logged the concern")
    if event.kind == "transition":
        return _(
            "%(action)s: %(from)s → %(to)s",
            action=trigger_label(case.workflow, event.trigger or ""),
            **{
                "from": state_label(case.workflow, event.from_state),
                "to": state_label(case.workflow, event.to_state),
            },
        )
    if event.kind == "answered":
        return _(
            "%(action)s (other agencies have still to answer: the case stays %(state)s)",
            action=trigger_label(case.workflow, event.trigger or ""),
            state=state_label(case.workflow, event.to_state),
        )
    if event.kind == "assigned":
        return _("Assigned the case to %(name)s", name=event.note or "")
    if event.kind == "edited":
        return _("Edited the case")
    if event.kind == "code_reissued":
        return _("Issued a new access code (the old one no longer works)")
    if event.kind == "telegram_linked":
        return _("A Telegram chat agreed to follow the case")
    if event.kind == "feedback":
        answer = code_label("feedback", (event.data or {}).get("resolved"))
        return _("Said whether it was resolved: %(answer)s", answer=answer)
    if event.kind == "public_summary":
        if (event.data or {}).get("approved"):
            return _("Wrote and approved the public summary")
        return _("Wrote the public summary (not public until approved)")
    if event.kind == "viewed":
        return VIEWED.get((event.data or {}).get("via"), VIEWED["page"])()
    if event.kind == "answer_link_opened":
        return _("Opened the answer link of the referral email")
    if event.kind == "telegram_unlinked":
        return _("A Telegram chat stopped following the case")
    if event.kind == "linked":
        return _("Linked to %(reference)s", reference=event.note or "")
    if event.kind == "unlinked":
        return _("Removed the link to %(reference)s", reference=event.note or "")
    if event.kind == "merged":
        return _(
            "%(reference)s was merged into this case as a duplicate", reference=event.note or ""
        )
    internal = (event.data or {}).get("internal", False)
    return _("Added an internal note") if internal else _("Added a comment")


def _who(event: EventView) -> str:
    """Who acted, in the reader's language where the label is a word rather than a name
    (the public's own feedback and /raise, the scheduler's "system")."""
    if event.actor_id is None and event.actor_label == "public":
        return _("The public")
    if event.actor_id is None and event.actor_label == "system":
        return _("The system")
    return event.actor_label


def _detail(case: Case, event: EventView, agencies: dict[int, Agency]) -> str:
    """The chosen values of a transition (agency, choices), or the fields an edit changed."""
    data = event.data or {}
    if event.kind == "edited":
        return ", ".join(data.get("fields", []))
    transition = event_transition(case.workflow, event.kind, event.trigger)
    parts = []
    for name, spec in transition.fields.items() if transition else ():
        value = data.get(name)
        named = [agencies[i] for i in agency_ids_in(spec, data) if i in agencies]
        if named:
            parts.extend(agency_label(agency) for agency in named)
        elif spec.type == "choice" and isinstance(value, str) and value:
            parts.append(choice_label(spec, value))
    return ", ".join(parts)


def visible_timeline(actor: User, case: Case) -> list[Entry]:
    """The case's events, newest first, with notes only where the actor may read them; internal
    notes the actor may not read are left out altogether (as in the API's timeline)."""
    events = visible_events(actor, case)
    agencies = agencies_named(case, events)
    entries = []
    for event in events:
        entries.append(
            Entry(
                at=event.at,
                kind=event.kind,
                who=_who(event),
                what=_what(case, event),
                detail=_detail(case, event, agencies),
                # These kinds' notes are a name or a reference, said already in "what".
                note=(event.note or "") if event.kind not in NAMED_IN_WHAT else "",
                internal=event.internal,
            )
        )
    return list(reversed(entries))
