"""Cases, their referrals, their audit trail (events) and comments."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    event,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.base import UTCDateTime, local_day, now_utc
from tracker.models.raiser import Raiser
from tracker.models.reference import Agency, Forum, Organisation
from tracker.models.user import User

# The list's sort keys: each is followed by the id, as the list orders and seeks by both.
SORT_INDEXES = {"created_at": "ix_cases_created_at_id", "updated_at": "ix_cases_updated_at_id",
                "due_at": "ix_cases_due_at_id"}  # fmt: skip
# The list's equality filters: each index leads with the filter, then the default sort, so a
# filtered first page (and each keyset page after it) reads just the rows it shows.
FILTER_INDEXES = ("state", "category", "province", "agency_id", "owner_id", "forum_id",
                  "organisation_id")  # fmt: skip
# Made by migration 0008 on PostgreSQL only (pg_trgm GIN: substring search, Khmer included);
# the models do not declare them, so schema comparisons skip these names.
POSTGRES_ONLY_INDEXES = frozenset({"ix_cases_title_trgm", "ix_cases_description_trgm"})


def list_indexes() -> list[Index]:
    """The composite indexes of the case list (sorts and filters, each ending with the id)."""
    indexes = [Index(name, column, "id") for column, name in SORT_INDEXES.items()]
    indexes += [Index(f"ix_cases_{c}_created_at", c, "created_at", "id") for c in FILTER_INDEXES]
    return indexes


class Case(db.Model):
    """A concern raised at a forum, followed through the workflow to a recorded answer."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    access_code_hash: Mapped[str] = mapped_column(String(64))
    workflow: Mapped[str] = mapped_column(String(40), default="case")
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(ForeignKey("categories.code"))
    forum_id: Mapped[int | None] = mapped_column(ForeignKey("forums.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    raised_by_name: Mapped[str] = mapped_column(String(200), default="")
    raised_by_email: Mapped[str] = mapped_column(String(254), default="", index=True)
    raised_by_phone: Mapped[str] = mapped_column(String(40), default="")
    affected_group: Mapped[str | None] = mapped_column(String(40))
    gender_focus: Mapped[str] = mapped_column(String(20), default="unspecified")
    people_affected: Mapped[int | None] = mapped_column(Integer)
    province: Mapped[str | None] = mapped_column(String(8))
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    language: Mapped[str] = mapped_column(String(2), default="en")
    # The raiser's chosen channel; None: the default of tracker.raiser_channel.
    channel: Mapped[str | None] = mapped_column(String(10))
    # Whether the first raiser agreed that the agencies see their name and contact.
    consent_share: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(String(20))
    state_entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(20))
    resolution: Mapped[str] = mapped_column(Text, default="")
    # What the officer writes for the public at closing (the status page shows it; the
    # resolution summary above stays internal).
    resolution_public: Mapped[str] = mapped_column(Text, default="")
    # The case told in a few public words for the forum's report-back; public once approved.
    public_summary: Mapped[str] = mapped_column(Text, default="")
    public_summary_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    public_summary_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # While on hold: the state to return to and the working days that were left then.
    held_state: Mapped[str | None] = mapped_column(String(20))
    held_working_days: Mapped[int | None] = mapped_column(Integer)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    # Seen only by the admins and the officers named on it (its owner and ``case_team``).
    confidential: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), index=True
    )
    # What a forum's intake row said (title, description, raiser): a row sent again is found.
    intake_fingerprint: Mapped[str | None] = mapped_column(String(64))
    # The submission that logged it on another system (a Kobo ``_uuid``): a retried push is found.
    external_id: Mapped[str | None] = mapped_column(String(120), unique=True)
    # Merged as a duplicate into this case: its raisers follow that one (tracker/services/merge.py).
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    # The local date of created_at (set on insert, see _set_logged_on): the ageing report
    # groups open cases by it from an index instead of converting a million timestamps.
    logged_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    public_summary_approved_by: Mapped[User | None] = relationship(
        foreign_keys=[public_summary_approved_by_id]
    )
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    agency: Mapped[Agency | None] = relationship()
    forum: Mapped[Forum | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    merged_into: Mapped[Case | None] = relationship(remote_side=[id], foreign_keys=[merged_into_id])
    # Read once per case and session (access checks, the case page, effects); written as rows.
    referrals: Mapped[list[Referral]] = relationship(
        "Referral", viewonly=True, order_by="Referral.referred_at, Referral.id"
    )
    # The raisers beyond the first (whose data are the raised_by_* columns), in order.
    raisers: Mapped[list[Raiser]] = relationship("Raiser", viewonly=True, order_by="Raiser.id")

    # A stale UPDATE (another writer bumped the version) matches no row and is refused.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        Index("ix_cases_state_due_at", "state", "due_at"),
        Index("uq_cases_forum_fingerprint", "forum_id", "intake_fingerprint", unique=True),
        *list_indexes(),
        # The list's commonest three filters (and their first one or two): page and total read
        # only the matching entries.
        Index(
            "ix_cases_state_category_province", "state", "category", "province", "created_at", "id"
        ),
        # The ageing report: open cases by state and day of logging, read from the index alone.
        Index(
            "ix_cases_state_logged_on",
            "state",
            "logged_on",
            postgresql_where=text("confidential IS false"),
            sqlite_where=text("confidential IS 0"),
            # Time in each state sums the stays still going from the same index.
            postgresql_include=["state_entered_at"],
        ),
    )


@event.listens_for(Case, "before_insert")
def _set_logged_on(_mapper: Any, _connection: Any, case: Case) -> None:
    """Every case knows its local day of logging, however it was created."""
    if case.created_at is None:
        case.created_at = now_utc()
    if case.logged_on is None:
        case.logged_on = local_day(case.created_at)


class Referral(db.Model):
    """One referral of a case to an agency, with the agency's answer once it comes."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    referred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    referred_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Working days from referral to answer, counted when the answer is recorded
    # (tracker.working_days.response_working_days): the agency figures' median reads it.
    response_days: Mapped[int | None] = mapped_column(Integer)

    case: Mapped[Case] = relationship()
    agency: Mapped[Agency] = relationship()

    # An agency's cases (the visibility check, its figures) are found from the agency.
    __table_args__ = (Index("ix_referrals_agency_id_case_id", "agency_id", "case_id"),)


class CaseTeamMember(db.Model):
    """An officer named on a confidential case (besides its owner): they may see it."""

    __tablename__ = "case_team"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)


class Event(db.Model):
    """One entry of a case's audit trail: a transition, an edit, an assignment, a comment."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    trigger: Mapped[str | None] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)
    # On a transition: the seconds the case spent in from_state (time in each state reads the
    # stored stays instead of pairing every transition with the one before).
    stay_seconds: Mapped[float | None] = mapped_column(Float)

    actor: Mapped[User | None] = relationship()

    # Time in each state: the stays of transitions, read from the index alone.
    __table_args__ = (
        Index(
            "ix_events_transition_stays",
            "from_state",
            "case_id",
            "stay_seconds",
            postgresql_where=text("kind = 'transition'"),
            sqlite_where=text("kind = 'transition'"),
        ),
    )


class Feedback(db.Model):
    """The raiser's answer to "Was it resolved?" after one closing of the case (one each)."""

    __tablename__ = "case_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    # When the case was closed (its state_entered_at then): a reopened, re-closed case asks again.
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(20), default="web")
    appeal_until: Mapped[date | None] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    case: Mapped[Case] = relationship()

    __table_args__ = (Index("uq_case_feedback_closing", "case_id", "closed_at", unique=True),)


class Comment(db.Model):
    """A comment or added information on a case."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    author: Mapped[User | None] = relationship()


class ReferenceCounter(db.Model):
    """Last reference number issued per year; incremented under a row lock, never reused."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class DeadlinePolicy(db.Model):
    """Working days allowed in a state, overriding the workflow default (admin-editable)."""

    __tablename__ = "deadline_policies"

    workflow: Mapped[str] = mapped_column(String(40), primary_key=True)
    state: Mapped[str] = mapped_column(String(20), primary_key=True)
    working_days: Mapped[int | None] = mapped_column(Integer)


class DayOff(db.Model):
    """A day off announced at short notice, counted as a holiday (admin-editable)."""

    __tablename__ = "days_off"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


class IdempotencyKey(db.Model):
    """The first answer given to a POST carrying an Idempotency-Key, replayed on retries."""

    __tablename__ = "idempotency_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    response_status: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    __table_args__ = (Index("uq_idempotency_keys_user_key", "user_id", "key", unique=True),)
