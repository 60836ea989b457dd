"""The Telegram bot's use case: handle one webhook update, in one transaction.

Commands: ``/start <token>`` (from a slip's QR) asks the chat's consent, then links the chat to
the case; ``/start u…`` (the link on a user's /account page) links the chat to that user;
``/status REF CODE`` answers the public state; ``/new`` starts the guided conversation of
tracker.services.telegram_raise. Every answer is an outbox row (the ``chat_reply`` signal),
written with whatever the update changed. The conversation's state is a row per chat
(TelegramChat), so any web worker can take the next update.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask import current_app
from limits import parse
from sqlalchemy import select

from tracker.extensions import db, limiter
from tracker.models import Case, TelegramChat, now_utc
from tracker.services import telegram_feedback, telegram_raise
from tracker.services.account_choices import link_user_chat, unlink_chat_users
from tracker.services.errors import NotFound
from tracker.services.public import lookup_public_case
from tracker.services.telegram_chats import facts, link_chat, linked, reply, unlink_chat
from tracker.services.telegram_tokens import case_of_token, is_user_token
from tracker.services.unit_of_work import one_transaction

LANGUAGE_BUTTONS = [("ភាសាខ្មែរ", "lang:km"), ("English", "lang:en")]
CONSENT_BUTTONS = {
    "en": [("Yes, tell me here", "consent:yes"), ("No", "consent:no")],
    "km": [("បាទ/ចាស ជូនដំណឹងខ្ញុំនៅទីនេះ", "consent:yes"), ("ទេ", "consent:no")],
}


def _incoming(update: Mapping[str, Any]) -> tuple[str, str, str, str | None] | None:
    """(chat id, text or button data, "text"/"button", Telegram's language code) of an update."""
    if isinstance(update.get("callback_query"), Mapping):
        query = update["callback_query"]
        message = query.get("message") or {}
        chat, data, kind, sender = message.get("chat") or {}, query.get("data"), "button", query
    elif isinstance(update.get("message"), Mapping):
        message = update["message"]
        chat, data, kind, sender = message.get("chat") or {}, message.get("text"), "text", message
    else:
        return None
    chat_id = chat.get("id") if isinstance(chat, Mapping) else None
    if not isinstance(chat_id, int) or isinstance(chat_id, bool) or not isinstance(data, str):
        return None
    language = (sender.get("from") or {}).get("language_code")
    return str(chat_id), data.strip()[:5000], kind, language if isinstance(language, str) else None


def _chat(chat_id: str, language_code: str | None, now: datetime) -> TelegramChat:
    """The chat's row, made on its first update (Khmer for a Khmer Telegram, else English)."""
    chat = db.session.get(TelegramChat, chat_id, with_for_update=True)
    if chat is None:
        language = "km" if (language_code or "").lower().startswith("km") else "en"
        chat = TelegramChat(chat_id=chat_id, language=language, step="", data={}, updated_at=now)
        db.session.add(chat)
        db.session.flush()
    return chat


def handle_update(update: Mapping[str, Any], *, now: datetime | None = None) -> bool:
    """Handle one update; False when it carries nothing the bot answers (or was handled)."""
    incoming = _incoming(update) if isinstance(update, Mapping) else None
    update_id = update.get("update_id") if isinstance(update, Mapping) else None
    if incoming is None or not isinstance(update_id, int):
        return False
    chat_id, data, kind, language_code = incoming
    now = now or now_utc()
    # One transaction, though a press records feedback through its own use case.
    with one_transaction():
        chat = _chat(chat_id, language_code, now)
        if update_id <= chat.last_update_id:  # Telegram sent it again: answered already
            return False
        chat.last_update_id = update_id
        chat.updated_at = now
        if kind == "button":
            _button(chat, data, now)
        else:
            _text(chat, data, now)
    return True


def _text(chat: TelegramChat, text: str, now: datetime) -> None:
    command, _, rest = text.partition(" ")
    command = command.split("@", 1)[0].lower()  # "/status@OurBot" in groups
    if command == "/start":
        _start(chat, rest.strip(), now)
    elif command == "/status":
        _status(chat, rest.split(), now)
    elif command in ("/new", "/raise"):
        telegram_raise.begin(chat, now)
    elif command == "/stop":
        unlink_chat(chat, now)
        unlink_chat_users(chat.chat_id, now)
        reply(chat, "bot_stopped", now)
    elif command == "/cancel":
        chat.step, chat.data = "", {}
        reply(chat, "bot_cancelled", now)
    elif command in ("/help", "/language"):
        reply(chat, "bot_help", now, buttons=[LANGUAGE_BUTTONS])
    elif chat.step in telegram_raise.TEXT_STEPS:
        telegram_raise.answer(chat, text, now)
    else:
        reply(chat, "bot_help", now, buttons=[LANGUAGE_BUTTONS])


def _button(chat: TelegramChat, data: str, now: datetime) -> None:
    kind, _, value = data.partition(":")
    if kind == "lang" and value in ("en", "km"):
        chat.language = value
        if chat.step == "consent":
            _ask_consent(chat, now)
        else:
            reply(chat, "bot_help", now, buttons=[LANGUAGE_BUTTONS])
    elif kind == "consent" and chat.step == "consent":
        _consent(chat, value == "yes", now)
    elif kind == telegram_feedback.BUTTON:
        telegram_feedback.press(chat, value, now)
    elif kind in telegram_raise.BUTTONS and chat.step == kind:
        telegram_raise.choose(chat, value, now)
    else:
        reply(chat, "bot_help", now, buttons=[LANGUAGE_BUTTONS])


def _start(chat: TelegramChat, token: str, now: datetime) -> None:
    if not token:
        reply(chat, "bot_help", now, buttons=[LANGUAGE_BUTTONS])
        return
    if is_user_token(token):
        _start_user(chat, token, now)
        return
    case = case_of_token(token)
    if case is None:
        reply(chat, "bot_link_invalid", now)
        return
    chat.step, chat.data = "consent", {"case_id": case.id}
    _ask_consent(chat, now)


def _start_user(chat: TelegramChat, token: str, now: datetime) -> None:
    """A staff user's own link from /account: they asked for it, so no consent question."""
    user = link_user_chat(token, chat.chat_id, now)
    if user is None:
        reply(chat, "bot_user_link_invalid", now)
        return
    chat.language = user.language if user.language in ("en", "km") else chat.language
    reply(chat, "bot_user_linked", now, name=user.name or user.email)


def _ask_consent(chat: TelegramChat, now: datetime) -> None:
    case = db.session.get(Case, chat.data.get("case_id"))
    if case is None:
        chat.step, chat.data = "", {}
        reply(chat, "bot_link_invalid", now)
        return
    buttons = [CONSENT_BUTTONS[chat.language], LANGUAGE_BUTTONS]
    reply(chat, "bot_consent", now, case=facts(case), buttons=buttons)


def _consent(chat: TelegramChat, agreed: bool, now: datetime) -> None:
    case = db.session.get(Case, chat.data.get("case_id"))
    chat.step, chat.data = "", {}
    if case is None:
        reply(chat, "bot_link_invalid", now)
        return
    if not agreed:
        reply(chat, "bot_declined", now)
        return
    link_chat(chat, case, now)
    reply(
        chat,
        "bot_linked",
        now,
        case=facts(case),
        case_id=case.id,
    )


def _may_look_up(chat: TelegramChat) -> bool:
    """The status page's attempt limit (STATUS_RATE_LIMIT), counted per chat: guessing access
    codes through the bot is no easier than on the web."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    rate = parse(current_app.config["STATUS_RATE_LIMIT"])
    return limiter.limiter.hit(rate, "telegram-status", chat.chat_id)


def _status(chat: TelegramChat, words: list[str], now: datetime) -> None:
    if len(words) != 2:
        reply(chat, "bot_status_usage", now)
        return
    if not _may_look_up(chat):
        reply(chat, "bot_status_too_many", now)
        return
    try:
        found = lookup_public_case(words[0], words[1])
    except NotFound:
        reply(chat, "bot_status_unknown", now)
        return
    case = db.session.scalar(select(Case).where(Case.reference == found.reference))
    if case is None:
        return
    reply(chat, "bot_status", now, case=facts(case), outcome=found.outcome)
    if not linked(chat, case):
        # Whoever holds the reference and code may follow the case here too, if they agree.
        chat.step, chat.data = "consent", {"case_id": case.id}
        _ask_consent(chat, now)
