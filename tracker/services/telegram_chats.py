"""What the bot writes for a chat: its answers (outbox rows, through a signal) and its links."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from tracker.audit import record_event
from tracker.extensions import db
from tracker.models import Case, TelegramChat, TelegramLink
from tracker.signals import chat_reply


def facts(case: Case) -> dict[str, Any]:
    """What the bot's messages show of a case: the public status facts, no personal data (and
    of a confidential case no title: a chat is no safer than an email)."""
    return {
        "reference": case.reference,
        "confidential": case.confidential,
        "title": "" if case.confidential else case.title,
        "state": case.state,
        "workflow": case.workflow,
    }


def reply(chat: TelegramChat, template: str, now: datetime, **context: Any) -> None:
    """Queue a message to the chat, in its language, with this transaction."""
    case_id = context.pop("case_id", None)
    chat_reply.send(
        chat.chat_id,
        template=template,
        context=context,
        language=chat.language,
        now=now,
        case_id=case_id,
    )


def link_chat(chat: TelegramChat, case: Case, now: datetime) -> None:
    """Link the chat to the case (once) and record it on the case's trail; the caller commits."""
    if not linked(chat, case):
        db.session.add(
            TelegramLink(
                chat_id=chat.chat_id, case_id=case.id, language=chat.language, linked_at=now
            )
        )
        record_event(case, "telegram_linked", None, now, data={"language": chat.language})


def linked(chat: TelegramChat, case: Case) -> bool:
    """Tell whether the chat follows the case already."""
    query = select(TelegramLink.id).where(
        TelegramLink.chat_id == chat.chat_id, TelegramLink.case_id == case.id
    )
    return db.session.scalar(query) is not None


def unlink_chat(chat: TelegramChat, now: datetime) -> int:
    """Stop telling the chat of any case (its consent withdrawn); each case's trail says so."""
    links = db.session.scalars(select(TelegramLink).where(TelegramLink.chat_id == chat.chat_id))
    count = 0
    for link in links:
        case = db.session.get(Case, link.case_id)
        if case is not None:
            record_event(case, "telegram_unlinked", None, now)
        db.session.delete(link)
        count += 1
    chat.step, chat.data = "", {}
    return count
