"""Tables of the notifications: the outbox, what reminders and digests were sent, the lease."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db
from tracker.models.base import UTCDateTime, now_utc

STATUSES = ("pending", "sending", "sent", "failed", "unsent")


class OutboxMessage(db.Model):
    """One message to one recipient on one channel, written with the event that causes it."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Fixed at enqueue time, so a re-send after a crash carries the same Message-ID.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # email, telegram or sms (tracker.raiser_channel.MESSAGE_CHANNELS).
    channel: Mapped[str] = mapped_column(String(10), default="email", server_default="email")
    # The address on that channel: an email address, a phone number (+855…) or a chat id.
    recipient_email: Mapped[str] = mapped_column(String(254))
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    audience: Mapped[str] = mapped_column(String(20), default="staff")
    language: Mapped[str] = mapped_column(String(2), default="en")
    template: Mapped[str] = mapped_column(String(40))
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)

    __table_args__ = (Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),)


class ReminderMark(db.Model):
    """A reminder, overdue notice or escalation already queued for one case's stay in a state."""

    __tablename__ = "reminder_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    state: Mapped[str] = mapped_column(String(20))
    state_entered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(20))
    period: Mapped[int] = mapped_column(Integer, default=0)
    # The open referral a reminder is about (a case referred to several agencies is reminded
    # of each late one); 0 for the case itself (not NULL: the key must stay unique).
    referral_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    __table_args__ = (
        UniqueConstraint(
            "case_id",
            "state",
            "state_entered_at",
            "kind",
            "period",
            "referral_id",
            name="uq_reminder_marks_key",
        ),
    )


class DigestMark(db.Model):
    """The weekly digest already queued for one person in one ISO week."""

    __tablename__ = "digest_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    iso_year: Mapped[int] = mapped_column(Integer)
    iso_week: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    __table_args__ = (
        UniqueConstraint("user_id", "iso_year", "iso_week", name="uq_digest_marks_key"),
    )


class SchedulerLease(db.Model):
    """Who leads the scheduler processes, until when (a lease row, renewed by its holder)."""

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200), default="")
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acquired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
