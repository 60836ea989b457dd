"""The outbox: queue emails in the caller's transaction; list and retry them for admins."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import func, insert, select

from notifications.models import STATUSES, OutboxMessage
from notifications.recipients import Recipient
from tracker.extensions import db
from tracker.models import Case, User, now_utc
from tracker.services.audit import record_admin_action
from tracker.services.errors import Conflict, NotFound, ValidationFailed

MAX_PER_PAGE = 100
# Context keys that are secrets for the recipient only: never shown in the outbox view, and
# scrubbed from the row once the message is sent or has failed for good.
SECRET_KEYS = ("access_code", "link")


def new_message_id() -> str:
    """A globally unique Message-ID, fixed when the row is written."""
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "tracker.localhost"
    return f"<{uuid.uuid4().hex}@{host}>"


def outbox_row(
    recipient: Recipient,
    template: str,
    context: Mapping[str, Any],
    now: datetime,
    case_id: int | None = None,
) -> dict[str, Any]:
    """The column values of one outbox row (for a bulk insert)."""
    return {
        "message_id": new_message_id(),
        "case_id": case_id,
        "user_id": recipient.user_id,
        "recipient_email": recipient.email,
        "recipient_name": recipient.name,
        "audience": recipient.audience,
        "language": recipient.language,
        "template": template,
        "context": dict(context),
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "last_error": "",
        "created_at": now,
    }


def enqueue_rows(rows: list[dict[str, Any]]) -> int:
    """Insert prepared outbox rows in one statement, in the caller's transaction."""
    if rows:
        db.session.execute(insert(OutboxMessage), rows)
    return len(rows)


def enqueue(
    recipients: Iterable[Recipient | None],
    template: str,
    context: Mapping[str, Any],
    *,
    now: datetime,
    case_id: int | None = None,
    skip_user_id: int | None = None,
) -> int:
    """Queue one email per distinct recipient (the caller commits); return how many."""
    seen: set[str] = set()
    rows = []
    for recipient in recipients:
        if recipient is None or recipient.email.lower() in seen:
            continue
        if skip_user_id is not None and recipient.user_id == skip_user_id:
            continue
        seen.add(recipient.email.lower())
        ctx = {**context, "audience": recipient.audience}
        rows.append(outbox_row(recipient, template, ctx, now, case_id))
    return enqueue_rows(rows)


@dataclass(frozen=True)
class OutboxEntry:
    """One outbox row as the admin view shows it (secrets left out)."""

    id: int
    message_id: str
    case_reference: str | None
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


def _entry(row: OutboxMessage, reference: str | None) -> OutboxEntry:
    from notifications.email import safe_subject

    return OutboxEntry(
        id=row.id,
        message_id=row.message_id,
        case_reference=reference,
        recipient_email=row.recipient_email,
        recipient_name=row.recipient_name,
        language=row.language,
        template=row.template,
        subject=safe_subject(row),
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        sent_at=row.sent_at,
        created_at=row.created_at,
    )


def list_outbox(status: str | None = None, page: int = 1, per_page: int = 50) -> OutboxPage:
    """Page through the outbox, optionally by status (pending, sending, sent, failed, unsent)."""
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
    return OutboxPage([_entry(row, ref) for row, ref in rows], total, page, per_page)


def outbox_counts() -> dict[str, int]:
    """How many outbox rows are in each status (for an admin's attention: failed ones)."""
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
    message_id: int | str,
    *,
    now: datetime | None = None,
    actor: User | None = None,
    ip: str | None = None,
) -> OutboxEntry:
    """Queue a failed or unsent message again, with a fresh count of attempts; audited."""
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
    return _entry(row, reference)
