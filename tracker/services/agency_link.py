"""An agency focal point without an account answers a referral through a signed link.

The link (in the referral email) names one referral. It is good while that referral is open
(a case referred to several agencies has one open referral, and one link, per agency) and until
30 days past its due date; used or expired it is gone (410), forged it
is unknown (404). Every use is an event on the case; the answer itself goes through
``fire_trigger``, the same service as an agency user's answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tracker.audit import record_event
from tracker.extensions import db
from tracker.models import Case, Referral, User, now_utc
from tracker.public_links import BadLink, read_referral_token
from tracker.services.errors import Conflict, Gone, NotFound, StaleVersion
from tracker.services.transitions import fire_trigger
from tracker.services.unit_of_work import unit_of_work
from tracker.workflow_registry import engine_for

LINK_DAYS_AFTER_DUE = 30
LINK_GONE = "This answer link was already used or has expired."


@dataclass(frozen=True)
class ReferralToAnswer:
    """What the link's page shows: the case's summary (no personal data) and the agency."""

    referral: Referral
    case: Case
    trigger: str | None  # the trigger that answers the referral now (None: not possible now)


def link_expires_at(referral: Referral) -> datetime:
    """The end of a referral's answer link: 30 days past its due date."""
    return (referral.due_at or referral.referred_at) + timedelta(days=LINK_DAYS_AFTER_DUE)


def _live_referral(token: str, now: datetime) -> Referral:
    try:
        referral_id = read_referral_token(token)
    except BadLink as exc:
        raise NotFound("No such link.") from exc
    referral = db.session.get(Referral, referral_id)
    if referral is None:
        raise NotFound("No such link.")
    # Good while its own referral is open (other agencies' referrals of the case do not matter).
    if referral.answered_at is not None or now > link_expires_at(referral):
        raise Gone(LINK_GONE)
    return referral


def _answering_trigger(case: Case) -> str | None:
    """The trigger an agency may fire now that answers a referral (from the definition)."""
    engine = engine_for(case.workflow)
    for trigger in engine.allowed_triggers(case.state, "agency"):
        if "answer_referral" in engine.workflow.transition(trigger).effects:
            return trigger
    return None


def link_actor(referral: Referral) -> User:
    """The focal point behind a link: the agency's role, no account (never stored)."""
    agency = referral.agency
    return User(
        id=None,
        role="agency",
        agency_id=referral.agency_id,
        name=f"{agency.name_en} (answer link)",
        email="",
        active=True,
    )


def open_answer_link(
    token: str, *, now: datetime | None = None, remote_addr: str | None = None
) -> ReferralToAnswer:
    """The referral a live link is for; opening it is recorded on the case."""
    now = now or now_utc()
    referral = _live_referral(token, now)
    case = referral.case
    with unit_of_work():
        record_event(
            case,
            "answer_link_opened",
            None,
            now,
            data={"referral_id": referral.id, "agency_id": referral.agency_id},
            remote_addr=remote_addr,
            actor_label=link_actor(referral).name,
        )
    return ReferralToAnswer(referral, case, _answering_trigger(case))


def answer_by_link(
    token: str, response: str, *, now: datetime | None = None, remote_addr: str | None = None
) -> Case:
    """Record the agency's response through the link, once (as an agency user would)."""
    now = now or now_utc()
    referral = _live_referral(token, now)
    case = referral.case
    trigger = _answering_trigger(case)
    if trigger is None:
        raise Conflict("The case cannot be answered now (it may be on hold).")
    try:
        return fire_trigger(
            link_actor(referral),
            case.reference,
            trigger,
            {"response": response},
            expected_version=case.version,
            now=now,
            remote_addr=remote_addr,
        )
    except (Conflict, StaleVersion) as exc:  # answered a moment ago by another request
        raise Gone(LINK_GONE) from exc
