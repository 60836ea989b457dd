"""The raisers of a case beyond the first: each with their own contact, consent and access code.

The case's own ``raised_by_*``, ``channel``, ``language``, ``consent_share`` and
``access_code_hash`` are its first raiser (the Case JSON keeps them); every further person or
organisation raising the same concern is a row here (``tracker.services.raisers``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db
from tracker.models.base import UTCDateTime, now_utc


class Raiser(db.Model):
    """One more person or organisation who raised the case, told of its steps on their channel."""

    __tablename__ = "raisers"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    language: Mapped[str] = mapped_column(String(2), default="en")
    # None: the default of tracker.raiser_channel (email, else SMS, else none).
    channel: Mapped[str | None] = mapped_column(String(10))
    # Whether they agreed that the agencies see their name and contact.
    consent_share: Mapped[bool] = mapped_column(Boolean, default=False)
    access_code_hash: Mapped[str] = mapped_column(String(64))
    # How many people this raiser speaks for (a union for its members); added to the case's.
    people_affected: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    # A representative sees the cases their organisation raised, first raiser or not.
    __table_args__ = (Index("ix_raisers_organisation_id_case_id", "organisation_id", "case_id"),)

    @property
    def anonymous(self) -> bool:
        """No name and no contact: the access code is the only way back."""
        return not (self.name or self.email or self.phone)
