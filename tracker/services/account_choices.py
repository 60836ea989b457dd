"""Each person's choices on /account: language, how to be told, the weekly digest; linking and
unlinking their Telegram chat (the bot's ``/start u…`` and ``/stop`` call in here too).

The rule of which channel a message then takes lives in tracker.user_channel.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select, update

from tracker.codes import LANGUAGES
from tracker.extensions import db
from tracker.models import User, now_utc
from tracker.public_links import BadLink, read_unsubscribe_token
from tracker.services.audit import record_admin_action
from tracker.services.errors import NotFound, ValidationFailed
from tracker.services.telegram_tokens import bot_configured_for_links, user_of_token
from tracker.services.unit_of_work import unit_of_work
from tracker.user_channel import USER_CHANNELS, digest_optional

LINK_FIRST = "Link your Telegram chat first, then choose Telegram."
NO_BOT = "Telegram is not set up on this tracker."


def _choice_errors(
    user: User, language: str | None, channel: str | None, digest: bool | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if language not in LANGUAGES:
        errors["language"] = ["Must be en or km."]
    if channel not in USER_CHANNELS:
        errors["channel"] = ["Must be email or telegram."]
    elif channel == "telegram" and not bot_configured_for_links():
        errors["channel"] = [NO_BOT]
    elif channel == "telegram" and not user.telegram_chat_id:
        errors["channel"] = [LINK_FIRST]
    if digest is not None and not digest_optional(user.role):
        errors["digest"] = ["Officers and admins always get the weekly digest."]
    return errors


def save_choices(
    user: User, *, language: str | None, channel: str | None, digest: bool | None = None
) -> User:
    """Save the user's language, channel and (for the roles that may) digest on/off together;
    refuse any wrong value and change nothing."""
    errors = _choice_errors(user, language, channel, digest)
    if errors:
        raise ValidationFailed("Some fields are missing or invalid.", errors)
    with unit_of_work():
        user.language = str(language)
        user.notify_channel = str(channel)
        if digest is not None:
            user.digest_enabled = digest
    return user


def open_telegram_link(user: User) -> User:
    """Make a fresh one-time link for the user's chat (any earlier one stops working)."""
    if not bot_configured_for_links():
        raise ValidationFailed(NO_BOT, {"channel": [NO_BOT]})
    with unit_of_work():
        user.telegram_link_nonce = secrets.token_urlsafe(16)
    return user


def link_user_chat(token: str, chat_id: str, now: datetime) -> User | None:
    """Link the chat to the user an open /account link names, and tell them there from now on;
    None when the link is used, replaced or not ours. The caller (the bot) commits."""
    user = user_of_token(token)
    if user is None:
        return None
    # One person per chat: a chat linked to someone else before is theirs no more.
    db.session.execute(
        update(User)
        .where(User.telegram_chat_id == chat_id, User.id != user.id)
        .values(telegram_chat_id=None, notify_channel="email")
    )
    user.telegram_chat_id = chat_id
    user.telegram_link_nonce = None
    user.notify_channel = "telegram"  # they linked it to be told there; /account switches back
    record_admin_action(user, "telegram_linked", user.email, ip=None, at=now)
    return user


def unlink_chat_users(chat_id: str, now: datetime) -> int:
    """The chat said /stop: no user is told there any more (their email serves again)."""
    users = db.session.scalars(select(User).where(User.telegram_chat_id == chat_id)).all()
    for user in users:
        _unlink(user, now)
    return len(users)


def unlink_telegram(user: User, *, ip: str | None = None) -> User:
    """Unlink the user's Telegram chat; their messages go by email again."""
    with unit_of_work():
        _unlink(user, now_utc(), ip)
    return user


def _unlink(user: User, now: datetime, ip: str | None = None) -> None:
    if user.telegram_chat_id:
        record_admin_action(user, "telegram_unlinked", user.email, ip=ip, at=now)
    user.telegram_chat_id = None
    user.telegram_link_nonce = None
    user.notify_channel = "email"


def user_of_unsubscribe_link(token: str) -> User:
    """The user a one-click unsubscribe link names; NotFound for a link that is not ours."""
    try:
        user_id = read_unsubscribe_token(token)
    except BadLink as exc:
        raise NotFound("No such link.") from exc
    user = db.session.get(User, user_id)
    if user is None or not digest_optional(user.role):
        raise NotFound("No such link.")
    return user


def unsubscribe_digest(token: str) -> User:
    """Turn the weekly digest off for the user the signed link names (no login needed)."""
    user = user_of_unsubscribe_link(token)
    with unit_of_work():
        user.digest_enabled = False
    return user
