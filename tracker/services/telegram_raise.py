"""Raising a concern in a Telegram chat: title, description, category, province, then logged.

Each answer moves the chat's ``step`` on and is kept in its ``data`` (the database, not a
process's memory). The case is logged as raised through Telegram by no account, linked to the
chat (which asked for it), and answered with its reference and access code.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from tracker import codes
from tracker.extensions import db
from tracker.models import Case, Category, TelegramChat, TelegramLink
from tracker.services.case_fields import clean_case_fields
from tracker.services.cases import add_case
from tracker.services.errors import ValidationFailed
from tracker.services.telegram_chats import facts, link_chat, reply

TEXT_STEPS = ("title", "description")
BUTTONS = ("category", "province")
NO_PROVINCE = "-"


def begin(chat: TelegramChat, now: datetime) -> None:
    """Start the conversation (a limit per chat and day keeps the bot from being a cannon)."""
    if _raised_today(chat, now) >= int(current_app.config["CASE_LIMIT_PER_USER_PER_DAY"]):
        chat.step, chat.data = "", {}
        reply(chat, "bot_too_many", now)
        return
    chat.step, chat.data = "title", {}
    reply(chat, "bot_ask_title", now)


def _raised_today(chat: TelegramChat, now: datetime) -> int:
    query = (
        select(func.count())
        .select_from(TelegramLink)
        .join(Case, Case.id == TelegramLink.case_id)
        .where(
            TelegramLink.chat_id == chat.chat_id,
            Case.created_by_id.is_(None),
            Case.channel == "telegram",
            Case.created_at > now - timedelta(hours=24),
        )
    )
    return int(db.session.scalar(query) or 0)


def _checked(name: str, value: str) -> str | None:
    """The cleaned value, or None (and the reason in the reply) when it is refused."""
    try:
        cleaned = clean_case_fields({name: value}, creating=False)[name]
    except ValidationFailed:
        return None
    return cleaned or None


def answer(chat: TelegramChat, text: str, now: datetime) -> None:
    """Take the title or the description typed in the chat."""
    step = chat.step
    value = _checked(step, text)
    if value is None or value.startswith("/"):
        reply(chat, f"bot_bad_{step}", now)
        return
    chat.data = {**chat.data, step: value}
    if step == "title":
        chat.step = "description"
        reply(chat, "bot_ask_description", now)
    else:
        chat.step = "category"
        reply(chat, "bot_ask_category", now, buttons=_category_buttons(chat.language))


def choose(chat: TelegramChat, value: str, now: datetime) -> None:
    """Take the category or the province pressed."""
    if chat.step == "category":
        if _checked("category", value) is None:
            reply(chat, "bot_ask_category", now, buttons=_category_buttons(chat.language))
            return
        chat.data = {**chat.data, "category": value}
        chat.step = "province"
        reply(chat, "bot_ask_province", now, buttons=_province_buttons(chat.language))
        return
    if value != NO_PROVINCE and value not in codes.PROVINCES:
        reply(chat, "bot_ask_province", now, buttons=_province_buttons(chat.language))
        return
    _log(chat, None if value == NO_PROVINCE else value, now)


def _log(chat: TelegramChat, province: str | None, now: datetime) -> None:
    data = dict(chat.data)
    fields = {
        "title": data.get("title", ""),
        "description": data.get("description", ""),
        "category": data.get("category", ""),
        "province": province,
        "language": chat.language,
        "channel": "telegram",
    }
    try:
        cleaned = clean_case_fields(fields, creating=True)
    except ValidationFailed:  # a category retired meanwhile: start again
        chat.step, chat.data = "", {}
        reply(chat, "bot_cancelled", now)
        return
    logged = add_case(
        None, {**cleaned, "workflow": "case"}, now, event_data={"raised_through": "telegram"}
    )
    chat.step, chat.data = "", {}
    link_chat(chat, logged.case, now)
    reply(
        chat,
        "case_logged",
        now,
        case=facts(logged.case),
        access_code=logged.access_code,
        case_id=logged.case.id,
    )


def _category_buttons(language: str) -> list[list[tuple[str, str]]]:
    categories = db.session.scalars(
        select(Category).where(Category.active.is_(True)).order_by(Category.code)
    )
    return [
        [((c.label_km if language == "km" else "") or c.label_en, f"category:{c.code}")]
        for c in categories
    ]


def _province_buttons(language: str) -> list[list[tuple[str, str]]]:
    items = [
        (codes.label(codes.PROVINCES, code, language), f"province:{code}")
        for code in codes.PROVINCES
    ]
    rows = [items[i : i + 2] for i in range(0, len(items), 2)]
    skip = "មិនបញ្ជាក់" if language == "km" else "Not stated"
    return [*rows, [(skip, f"province:{NO_PROVINCE}")]]
