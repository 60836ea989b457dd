"""Listeners of the tracker's signals: turn case events into outbox rows, in its transaction.

Each listener only adds outbox rows to the session; the tracker's unit of work commits them
with the event (or rolls them back with it). Which emails a transition sends comes from its
workflow definition (`notify`). Nobody is emailed about their own action.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select

from notifications.outbox import enqueue
from notifications.recipients import (
    Recipient,
    admin_recipients,
    agency_recipients,
    clean_name,
    further_raiser_recipient,
    known_address,
    language_of,
    owner_or_admins,
    raiser_recipients,
    user_recipient,
)
from tracker.access import referred_agencies, shared_with_agencies
from tracker.extensions import db
from tracker.models import Agency, Case, Event, Raiser, Referral, User
from tracker.public_links import feedback_callback, feedback_url, referral_answer_url
from tracker.raiser_list import raisers_of
from tracker.signals import (
    account_link_issued,
    case_logged,
    chat_reply,
    event_recorded,
    raiser_added,
)
from tracker.workflow_registry import final_states, transition_of
from workflows import Transition

SUMMARY_LIMIT = 1500


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def is_confidential(case: Any) -> bool:
    """Tell a confidential case: its messages carry only its reference and a link."""
    return bool(getattr(case, "confidential", False))


def case_context(case: Any) -> dict[str, Any]:
    """The plain values of a case that emails show (no personal data of the raiser; of a
    confidential case no title either)."""
    confidential = is_confidential(case)
    return {
        "reference": case.reference,
        "confidential": confidential,
        "title": "" if confidential else case.title,
        "state": case.state,
        "due_at": _iso(case.due_at),
        "category": case.category,
        "priority": case.priority,
        "province": case.province,
        "workflow": case.workflow,
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
    confidential = is_confidential(case)
    return {
        "reference": case.reference,
        "confidential": confidential,
        "title": "" if confidential else case.title,
    }


def on_case_logged(case: Case, event: Event, access_code: str) -> None:
    """Acknowledge a new case to whoever raised it, with its reference and access code."""
    # Sent even when the raiser logged it themselves: the message is their copy of the code.
    for raiser in raiser_recipients(case):
        if raiser is None:
            continue
        known = raiser.channel == "email" and known_address(raiser.email, case)
        facts = case_context if known else first_contact_context
        _queue(case, [raiser], "case_logged", at=event.at, facts=facts, access_code=access_code)


def on_raiser_added(case: Case, raiser: Raiser, event: Event, access_code: str) -> None:
    """Acknowledge a further raiser on their channel, with the reference and their own code."""
    recipient = further_raiser_recipient(raiser)
    if recipient is None:
        return
    known = recipient.channel == "email" and known_address(recipient.email, case)
    facts = case_context if known else first_contact_context
    _queue(case, [recipient], "case_logged", at=event.at, facts=facts, access_code=access_code)


def _assigned(case: Case, event: Event) -> None:
    owner_id = (event.data or {}).get("to")
    owner = db.session.get(User, owner_id) if isinstance(owner_id, int) else None
    _queue(case, [user_recipient(owner)], "case_assigned", at=event.at, actor_id=event.actor_id)


def _summary(case: Case, agency: Agency | None, for_agencies: bool = False) -> dict[str, Any]:
    """What an agency needs to act on a referral; in a message to agencies only, the name and
    contact of the raisers who agreed to share them (``raisers``), else none. Of a confidential
    case neither the description nor the raisers: the signed answer link shows what it needs."""
    secret = is_confidential(case)
    return {
        "raisers": [
            {"name": clean_name(r.name), "email": r.email, "phone": r.phone}
            for r in raisers_of(case)
            if for_agencies
            and not secret
            and shared_with_agencies(r.consent_share)
            and not r.anonymous
        ],
        "description": "" if secret else case.description[:SUMMARY_LIMIT],
        "people_affected": case.people_affected,
        "agency_name_en": agency.name_en if agency else "",
        "agency_name_km": (agency.name_km or agency.name_en) if agency else "",
    }


def _recipients(case: Case, names: Iterable[str]) -> list[Recipient | None]:
    """The addressees a definition's `notify` names (owner, raiser, agency, admins)."""
    found: list[Recipient | None] = []
    for name in names:
        if name == "owner":
            found.append(user_recipient(case.owner))
        elif name == "raiser":
            found.extend(raiser_recipients(case))
        elif name == "agency":
            found.extend(agency_recipients(case.agency))
        elif name == "admins":
            found.extend(admin_recipients())
    return found


def _signed_links(case: Case, transition: Transition) -> dict[str, str]:
    """The "Was it resolved?" links a closing's emails carry (signed; dropped from the outbox
    row once sent). A referral's answer link goes with its own agency's email (below)."""
    found: dict[str, str] = {}
    if "record_outcome" in transition.effects and case.state in final_states():
        found["feedback_url"] = feedback_url(case.id, case.state_entered_at)
        # The Telegram buttons of "Was it resolved?" name the case and this closing.
        found["feedback_case"] = feedback_callback(case.id, case.state_entered_at)
    return found


def _opened_referrals(case: Case, event: Event) -> list[Referral]:
    """The referrals a refer event opened (one per agency it named), in the order named."""
    named = referred_agencies(event)
    rows = db.session.scalars(
        select(Referral).where(
            Referral.case_id == case.id,
            Referral.answered_at.is_(None),
            Referral.agency_id.in_(named),
        )
    )
    latest = {r.agency_id: r for r in sorted(rows, key=lambda r: r.id)}
    return [latest[a] for a in named if a in latest]


def _addressees(
    case: Case, transition: Transition, event: Event, names: tuple[str, ...]
) -> list[tuple[list[Recipient | None], dict[str, Any]]]:
    """Who one `notify` entry writes to, in groups sharing one message: the agencies of a
    referral each get their own (their referral's deadline and signed answer link)."""
    others = [name for name in names if name != "agency"]
    groups: list[tuple[list[Recipient | None], dict[str, Any]]] = []
    if others:
        groups.append((_recipients(case, others), {}))
    if "agency" not in names:
        return groups
    if "open_referral" not in transition.effects:
        groups.append((_recipients(case, ["agency"]), {}))
        return groups
    for referral in _opened_referrals(case, event):
        facts = {**case_context(case), "due_at": _iso(referral.due_at)}
        groups.append(
            (
                list(agency_recipients(referral.agency)),
                {
                    "case": facts,
                    "summary": _summary(case, referral.agency, for_agencies=True),
                    "answer_url": referral_answer_url(referral.id),
                    "referral": {"agency_id": referral.agency_id, "due_at": facts["due_at"]},
                },
            )
        )
    return groups


def _transition(case: Case, event: Event) -> None:
    """Queue the emails the trigger's definition names (its `notify`)."""
    transition = transition_of(case.workflow, event.trigger)
    if transition is None:
        return
    field = transition.note_field(event.data or {})
    internal = field is not None and field.internal
    links = _signed_links(case, transition)
    for notify in transition.notify:
        # An internal note goes to staff and agencies only, never to the public.
        note = "" if internal and "raiser" in notify.to else event.note
        secret = is_confidential(case)
        # A confidential case's messages carry no texts: notes, answers, summaries.
        common = {
            "note": "" if secret else note,
            "outcome": case.outcome,
            "resolution_public": "" if secret else case.resolution_public,
            "summary": _summary(case, case.agency, for_agencies=set(notify.to) == {"agency"}),
            "action": dict(transition.label),
            "data": {} if secret else _shown_data(event, transition),
            **links,
        }
        for recipients, own in _addressees(case, transition, event, notify.to):
            context = {**common, **own}
            facts = context.pop("case", None)
            _queue(
                case,
                recipients,
                notify.template,
                at=event.at,
                actor_id=event.actor_id,
                facts=(lambda _case, facts=facts: facts) if facts else case_context,
                **context,
            )


def _shown_data(event: Event, transition: Transition) -> dict[str, Any]:
    """The event's values an email may show: those its definition does not mark internal."""
    hidden = transition.internal_fields()
    return {k: v for k, v in (event.data or {}).items() if k not in hidden}


def _feedback(case: Case, event: Event) -> None:
    """The raiser says it was not resolved: tell the owner (or the admins), who may reopen."""
    data = event.data or {}
    if data.get("resolved") != "no":
        return
    _queue(
        case,
        owner_or_admins(case),
        "feedback_not_resolved",
        at=event.at,
        comment="" if is_confidential(case) else event.note,
        appeal_until=data.get("appeal_until"),
    )


def on_event_recorded(case: Case, event: Event) -> None:
    """Queue the emails this event causes, in the caller's transaction."""
    if event.kind == "assigned":
        _assigned(case, event)
    elif event.kind == "transition":
        _transition(case, event)
    elif event.kind == "feedback":
        _feedback(case, event)


def on_account_link_issued(
    user: User, *, template: str, context: dict[str, Any], now: datetime
) -> None:
    """Email a user the invitation or password-reset link just issued to them."""
    enqueue([user_recipient(user, by_email=True)], template, context, now=now)


def on_chat_reply(
    chat_id: str,
    *,
    template: str,
    context: dict[str, Any],
    language: str,
    now: datetime,
    case_id: int | None = None,
) -> None:
    """Queue the bot's answer to a Telegram chat."""
    chat = Recipient(str(chat_id), "", language_of(language), None, "public", "telegram")
    enqueue([chat], template, context, now=now, case_id=case_id)


def connect_listeners() -> None:
    """Turn the tracker's events into outbox rows (called in create_app; idempotent)."""
    case_logged.connect(on_case_logged)
    raiser_added.connect(on_raiser_added)
    event_recorded.connect(on_event_recorded)
    account_link_issued.connect(on_account_link_issued)
    chat_reply.connect(on_chat_reply)
