"""Telegram chats: which chat follows which case, and where a chat's conversation stands."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db
from tracker.models.base import UTCDateTime, now_utc


class TelegramLink(db.Model):
    """A chat that agreed to be told of every step of one case."""

    __tablename__ = "telegram_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(32), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    language: Mapped[str] = mapped_column(String(2), default="en")
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    __table_args__ = (UniqueConstraint("chat_id", "case_id", name="uq_telegram_links_chat_case"),)


class TelegramChat(db.Model):
    """One chat's language and conversation (kept here, not in a process's memory).

    ``step`` is where a guided conversation stands ("" when none); ``data`` holds its answers
    so far, or the case waiting for the chat's consent.
    """

    __tablename__ = "telegram_chats"

    chat_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    language: Mapped[str] = mapped_column(String(2), default="en")
    step: Mapped[str] = mapped_column(String(20), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The last update handled: Telegram re-sends an update it got no 200 for.
    last_update_id: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
