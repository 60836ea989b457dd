"""The interface the tracker calls when a case event happens, inside its own transaction.

Each handler only adds outbox rows to the session; the tracker's unit of work commits them with
the event (or rolls them back with it). Nobody is emailed about their own action.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from notifications.outbox import enqueue
from notifications.recipients import (
    Recipient,
    agency_recipients,
    known_address,
    raiser_recipient,
    user_recipient,
)
from tracker.extensions import db
from tracker.models import Case, Event, User

SUMMARY_LIMIT = 1500


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def case_context(case: Any) -> dict[str, Any]:
    """The plain values of a case that emails show (no personal data of the raiser)."""
    return {
        "reference": case.reference,
        "title": case.title,
        "state": case.state,
        "due_at": _iso(case.due_at),
        "category": case.category,
        "priority": case.priority,
        "province": case.province,
    }


def _queue(
    case: Case,
    recipients: Iterable[Recipient | None],
    template: str,
    *,
    at: datetime,
    actor_id: int | None = None,
    facts: Callable[[Any], dict[str, Any]] = case_context,
    **extra: Any,
) -> None:
    context = {"case": facts(case), **extra}
    enqueue(recipients, template, context, now=at, case_id=case.id, skip_user_id=actor_id)


def first_contact_context(case: Any) -> dict[str, Any]:
    """What an email to an address never met before may show of a case: its reference and title.

    Anyone who may raise a case can type any address on it; a stranger then gets no more of
    the case's text than its title (never its description or other fields).
    """
    return {"reference": case.reference, "title": case.title}


def on_case_logged(case: Case, event: Event, access_code: str) -> None:
    """Acknowledge a new case to whoever raised it, with its reference and access code."""
    # Sent even when the raiser logged it themselves: the email is their copy of the code.
    raiser = raiser_recipient(case)
    known = raiser is not None and known_address(raiser.email, case)
    facts = case_context if known else first_contact_context
    _queue(case, [raiser], "case_logged", at=event.at, facts=facts, access_code=access_code)


def _assigned(case: Case, event: Event) -> None:
    owner_id = (event.data or {}).get("to")
    owner = db.session.get(User, owner_id) if isinstance(owner_id, int) else None
    _queue(case, [user_recipient(owner)], "case_assigned", at=event.at, actor_id=event.actor_id)


def _referred(case: Case, event: Event) -> None:
    agency = case.agency
    summary = {
        "description": case.description[:SUMMARY_LIMIT],
        "people_affected": case.people_affected,
        "agency_name_en": agency.name_en if agency else "",
        "agency_name_km": (agency.name_km or agency.name_en) if agency else "",
    }
    _queue(
        case,
        agency_recipients(agency),
        "case_referred",
        at=event.at,
        actor_id=event.actor_id,
        note=event.note,
        summary=summary,
    )


def _responded(case: Case, event: Event) -> None:
    recipients = [user_recipient(case.owner), raiser_recipient(case)]
    _queue(
        case, recipients, "case_responded", at=event.at, actor_id=event.actor_id, note=event.note
    )


def _closed(case: Case, event: Event) -> None:
    _queue(
        case,
        [raiser_recipient(case)],
        "case_closed",
        at=event.at,
        actor_id=event.actor_id,
        outcome=case.outcome,
        resolution=case.resolution,
    )


def _reopened(case: Case, event: Event) -> None:
    recipients = [user_recipient(case.owner)]
    _queue(case, recipients, "case_reopened", at=event.at, actor_id=event.actor_id, note=event.note)


_HANDLERS: dict[str, Callable[[Case, Event], None]] = {
    "assigned": _assigned,
    "refer": _referred,
    "respond": _responded,
    "close": _closed,
    "reopen": _reopened,
}


def on_case_event(case: Case, event: Event) -> None:
    """Queue the emails this event causes, in the caller's transaction."""
    key = event.trigger if event.kind == "transition" else event.kind
    handler = _HANDLERS.get(key or "")
    if handler is not None:
        handler(case, event)
