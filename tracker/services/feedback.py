""" "Was it resolved?": the raiser's answer after a closing, and the appeal route when it is no.

Every way of answering (the status page with the access code, the public API, the signed link
in the closing message, the Telegram buttons) ends in ``record_feedback``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError

from tracker.audit import record_event
from tracker.extensions import db
from tracker.field_spec import FEEDBACK_ANSWERS, FEEDBACK_COMMENT
from tracker.models import Case, Feedback, now_utc
from tracker.public_links import BadLink, closing_stamp, read_feedback_token
from tracker.services.errors import Conflict, Gone, NotFound, ValidationFailed
from tracker.services.public import find_by_code
from tracker.services.public_answer import appeal_deadline, closed_at, feedback_for_closing
from tracker.services.text_checks import CONTROL_MESSAGE, has_control_characters
from tracker.services.unit_of_work import unit_of_work

CHANNELS = ("web", "link", "api", "telegram")
ALREADY = "Your answer for this case was already recorded. Thank you."
NOT_CLOSED = "The case is not closed yet: you can say whether it was resolved once it is."
LINK_GONE = "This link is for an earlier closing of the case, or was already used."


@dataclass(frozen=True)
class FeedbackGiven:
    """The recorded answer; ``appeal_until`` is the last day to complain when it was no."""

    reference: str
    resolved: str
    comment: str
    appeal_until: date | None


def _checked(resolved: object, comment: object) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    if resolved not in FEEDBACK_ANSWERS:
        errors["resolved"] = [f"Must be one of: {', '.join(FEEDBACK_ANSWERS)}."]
    text = comment.strip() if isinstance(comment, str) else ""
    if comment is not None and not isinstance(comment, str):
        errors["comment"] = ["Must be text."]
    elif len(text) > (FEEDBACK_COMMENT.max_length or 0):
        errors["comment"] = [f"At most {FEEDBACK_COMMENT.max_length} characters."]
    elif has_control_characters(text, multiline=True):
        errors["comment"] = [CONTROL_MESSAGE]
    if errors:
        raise ValidationFailed("The answer is not valid.", errors)
    return str(resolved), text


def record_feedback(
    case: Case,
    resolved: str,
    comment: str = "",
    *,
    channel: str,
    now: datetime | None = None,
    remote_addr: str | None = None,
) -> FeedbackGiven:
    """Record the raiser's answer for this closing (once); "no" tells the owner (an event).

    The hook every channel calls once it knows the case (by code, link or linked chat).
    """
    resolved, comment = _checked(resolved, comment)
    if channel not in CHANNELS:
        raise ValidationFailed("Unknown channel.", {"channel": [f"One of: {', '.join(CHANNELS)}."]})
    end = closed_at(case)
    if end is None:
        raise Conflict(NOT_CLOSED)
    if feedback_for_closing(case) is not None:
        raise Conflict(ALREADY)
    now = now or now_utc()
    appeal_until = appeal_deadline(end) if resolved == "no" else None
    try:
        with unit_of_work():
            db.session.add(
                Feedback(
                    case_id=case.id,
                    closed_at=end,
                    resolved=resolved,
                    comment=comment,
                    channel=channel,
                    appeal_until=appeal_until,
                    at=now,
                )
            )
            record_event(
                case,
                "feedback",
                None,
                now,
                note=comment,
                data={
                    "resolved": resolved,
                    "channel": channel,
                    "appeal_until": appeal_until.isoformat() if appeal_until else None,
                },
                remote_addr=remote_addr,
                actor_label="public",
            )
    except IntegrityError as exc:  # the same closing answered a moment ago
        raise Conflict(ALREADY) from exc
    return FeedbackGiven(case.reference, resolved, comment, appeal_until)


def give_feedback(
    reference: str,
    access_code: str,
    resolved: str,
    comment: str = "",
    *,
    channel: str = "api",
    now: datetime | None = None,
    remote_addr: str | None = None,
) -> FeedbackGiven:
    """Answer "Was it resolved?" with the case's reference and access code."""
    case = find_by_code(reference, access_code)
    return record_feedback(
        case, resolved, comment, channel=channel, now=now, remote_addr=remote_addr
    )


def case_of_feedback_link(token: str) -> Case:
    """The closed case a feedback link is for; NotFound if forged, Gone if stale or used."""
    try:
        case_id, stamp = read_feedback_token(token)
    except BadLink as exc:
        raise NotFound("No such link.") from exc
    case = db.session.get(Case, case_id)
    if case is None:
        raise NotFound("No such link.")
    end = closed_at(case)
    if end is None or closing_stamp(end) != stamp or feedback_for_closing(case) is not None:
        raise Gone(LINK_GONE)
    return case


def give_feedback_by_link(
    token: str,
    resolved: str,
    comment: str = "",
    *,
    now: datetime | None = None,
    remote_addr: str | None = None,
) -> FeedbackGiven:
    """Answer "Was it resolved?" through the signed link of the closing message."""
    case = case_of_feedback_link(token)
    try:
        return record_feedback(
            case, resolved, comment, channel="link", now=now, remote_addr=remote_addr
        )
    except Conflict as exc:
        raise Gone(LINK_GONE) from exc
