"""Links between related cases (one row per pair, the lower case id first)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db
from tracker.models.base import UTCDateTime, now_utc


class CaseLink(db.Model):
    """Two related cases; both case pages show the link."""

    __tablename__ = "case_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The pair in id order, so a link is stored once whichever side made it.
    low_case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    high_case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    __table_args__ = (
        Index("uq_case_links_pair", "low_case_id", "high_case_id", unique=True),
        CheckConstraint("low_case_id < high_case_id", name="ordered_pair"),
    )
