"""People who sign in, and their API tokens."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.base import UTCDateTime, now_utc
from tracker.models.reference import Agency, Organisation

ROLES = ("admin", "officer", "agency", "representative")


class User(UserMixin, db.Model):
    """A signed-in person with one role; agency users belong to an agency, reps to an org."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    language: Mapped[str] = mapped_column(String(2), default="en")
    # Numbers and dates in Khmer digits (០១២…) when reading in Khmer; Latin digits otherwise.
    khmer_digits: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # How to be told (tracker.user_channel): "email" or "telegram" (once a chat is linked).
    notify_channel: Mapped[str] = mapped_column(String(10), default="email", server_default="email")
    # The Telegram chat linked through /account's one-time link (one person per chat).
    telegram_chat_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    # A random value the /account link's token is signed over; cleared once the link is used.
    telegram_link_nonce: Mapped[str | None] = mapped_column(String(32))
    # The weekly digest, for the roles that may turn it off (representatives, agencies).
    digest_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped on logout-everywhere, disabling and password change: invalidates old sessions.
    session_generation: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    agency: Mapped[Agency | None] = relationship(lazy="joined")
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:
        """Disabled users cannot sign in to the web UI (Flask-Login asks this)."""
        return bool(self.active)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ApiToken(db.Model):
    """A bearer token for the JSON API, stored only as a hash, expiring and revocable."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
