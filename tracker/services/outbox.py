"""The outbox as admins see it: counts per status, the messages, retrying failed ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from tracker import access
from tracker.extensions import db
from tracker.models import Case, User, now_utc
from tracker.models.notifications import STATUSES, OutboxMessage
from tracker.services.audit import record_admin_action
from tracker.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

MAX_PER_PAGE = 100
Subject = Callable[[OutboxMessage], str]


def _template_name(row: OutboxMessage) -> str:
    """A row's template name, where no renderer is given for its subject."""
    return row.template


def require_outbox_admin(actor: User) -> None:
    """The outbox is for admins only."""
    if not access.is_admin(actor):
        raise PermissionDenied("Only admins may see the outbox.")


@dataclass(frozen=True)
class OutboxEntry:
    """One outbox row as the admin view shows it (secrets left out)."""

    id: int
    message_id: str
    case_reference: str | None
    channel: str
    recipient_email: str
    recipient_name: str
    language: str
    template: str
    subject: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str
    sent_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class OutboxPage:
    """A page of outbox entries, newest first."""

    items: list[OutboxEntry]
    total: int
    page: int
    per_page: int


def _entry(row: OutboxMessage, reference: str | None, subject: Subject) -> OutboxEntry:
    return OutboxEntry(
        id=row.id,
        message_id=row.message_id,
        case_reference=reference,
        channel=row.channel,
        recipient_email=row.recipient_email,
        recipient_name=row.recipient_name,
        language=row.language,
        template=row.template,
        subject=subject(row),
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        sent_at=row.sent_at,
        created_at=row.created_at,
    )


def list_outbox(
    actor: User,
    status: str | None = None,
    page: int = 1,
    per_page: int = 50,
    *,
    subject: Subject = _template_name,
) -> OutboxPage:
    """Page through the outbox, optionally by status (pending, sending, sent, failed, unsent).

    ``subject`` renders a row's subject (the caller passes notifications.email.safe_subject).
    """
    require_outbox_admin(actor)
    if status is not None and status not in STATUSES:
        raise ValidationFailed(
            "Unknown status.", {"status": [f"Must be one of: {', '.join(STATUSES)}."]}
        )
    page, per_page = max(1, int(page)), min(MAX_PER_PAGE, max(1, int(per_page)))
    query = select(OutboxMessage, Case.reference).outerjoin(Case, Case.id == OutboxMessage.case_id)
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.execute(
        query.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return OutboxPage([_entry(row, ref, subject) for row, ref in rows], total, page, per_page)


def outbox_counts(actor: User) -> dict[str, int]:
    """How many outbox rows are in each status (for an admin's attention: failed ones)."""
    require_outbox_admin(actor)
    counts = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    )
    return {status: counts.get(status, 0) for status in STATUSES}


def find_message(message_id: int | str) -> OutboxMessage:
    """The outbox row by its row id or its Message-ID, or NotFound."""
    column = OutboxMessage.id if isinstance(message_id, int) else OutboxMessage.message_id
    row = db.session.scalar(select(OutboxMessage).where(column == message_id))
    if row is None:
        raise NotFound(f"No outbox message {message_id}.")
    return row


def retry_message(
    actor: User,
    message_id: int | str,
    *,
    now: datetime | None = None,
    subject: Subject = _template_name,
    ip: str | None = None,
) -> OutboxEntry:
    """Queue a failed or unsent message again, with a fresh count of attempts; audited."""
    require_outbox_admin(actor)
    row = find_message(message_id)
    if row.status not in ("failed", "unsent"):
        raise Conflict(f"Only failed or unsent messages can be retried, not {row.status} ones.")
    row.status = "pending"
    row.attempts = 0
    row.next_attempt_at = now or now_utc()
    row.claimed_until = None
    record_admin_action(actor, "outbox_retried", f"outbox {row.id}", ip=ip, at=now)
    db.session.commit()
    reference = db.session.scalar(select(Case.reference).where(Case.id == row.case_id))
    return _entry(row, reference, subject)
