"""Signed links for people without an account (or not signed in): "Was it resolved?", an
agency's answer, and turning the weekly digest off in one click.

Shared by the services (which read them) and notifications (which put them in emails); neither
imports the other. A link carries ids only, signed with the app's secret key (itsdangerous): a
changed character is refused. Whether a link is still good (the same closing, an open referral,
not past its date) is decided by the service that reads it.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

_FEEDBACK_SALT = "case-feedback"
_REFERRAL_SALT = "referral-answer"
_UNSUBSCRIBE_SALT = "digest-unsubscribe"


class BadLink(ValueError):
    """The token was not made by this tracker (changed, cut short or made up)."""


def _serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def closing_stamp(closed_at: datetime) -> int:
    """A closing moment as whole seconds: what a feedback link names of its closing."""
    return int(closed_at.timestamp())


FEEDBACK_BUTTON = "fb"  # callback data of a Telegram button: fb:<case id>:<stamp>:<answer>


def feedback_callback(case_id: int, closed_at: datetime) -> str:
    """What a "Was it resolved?" button of Telegram names: the case and its closing.

    Not signed: the bot believes a press only from a chat linked to that case.
    """
    return f"{case_id}:{closing_stamp(closed_at)}"


def read_feedback_callback(value: str) -> tuple[int, int] | None:
    """The (case id, closing stamp) a button names, or None when it names nothing."""
    case_id, _, stamp = value.partition(":")
    if not (case_id.isdigit() and stamp.isdigit()) or len(value) > 40:
        return None
    return int(case_id), int(stamp)


def feedback_token(case_id: int, closed_at: datetime) -> str:
    """The token of the "Was it resolved?" link for one closing of a case."""
    return str(_serializer(_FEEDBACK_SALT).dumps([case_id, closing_stamp(closed_at)]))


def read_feedback_token(token: str) -> tuple[int, int]:
    """The (case id, closing stamp) a feedback token names; BadLink when it is not ours."""
    try:
        case_id, stamp = _serializer(_FEEDBACK_SALT).loads(token)
    except (BadSignature, TypeError, ValueError) as exc:
        raise BadLink("Not a feedback link of this tracker.") from exc
    if not isinstance(case_id, int) or not isinstance(stamp, int):
        raise BadLink("Not a feedback link of this tracker.")
    return case_id, stamp


def feedback_url(case_id: int, closed_at: datetime) -> str:
    """The full "Was it resolved?" link for a closing message."""
    return f"{_base_url()}/feedback/{feedback_token(case_id, closed_at)}"


def referral_token(referral_id: int) -> str:
    """The token of an agency's answer link for one referral."""
    return str(_serializer(_REFERRAL_SALT).dumps(referral_id))


def read_referral_token(token: str) -> int:
    """The referral id an answer token names; BadLink when it is not ours."""
    try:
        referral_id = _serializer(_REFERRAL_SALT).loads(token)
    except (BadSignature, TypeError, ValueError) as exc:
        raise BadLink("Not an answer link of this tracker.") from exc
    if not isinstance(referral_id, int):
        raise BadLink("Not an answer link of this tracker.")
    return referral_id


def referral_answer_url(referral_id: int) -> str:
    """The full answer link for a referral email."""
    return f"{_base_url()}/referrals/answer/{referral_token(referral_id)}"


def unsubscribe_token(user_id: int) -> str:
    """The token of a user's one-click "no more weekly digests" link (List-Unsubscribe)."""
    return str(_serializer(_UNSUBSCRIBE_SALT).dumps(user_id))


def read_unsubscribe_token(token: str) -> int:
    """The user id an unsubscribe token names; BadLink when it is not ours."""
    try:
        user_id = _serializer(_UNSUBSCRIBE_SALT).loads(token)
    except (BadSignature, TypeError, ValueError) as exc:
        raise BadLink("Not an unsubscribe link of this tracker.") from exc
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        raise BadLink("Not an unsubscribe link of this tracker.")
    return user_id


def unsubscribe_url(user_id: int) -> str:
    """The full one-click unsubscribe link of a user's digest."""
    return f"{_base_url()}/digest/unsubscribe/{unsubscribe_token(user_id)}"
