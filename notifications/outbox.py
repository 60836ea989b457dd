"""The outbox: queue messages (email, Telegram, SMS) in the caller's transaction.

tracker.services.outbox lists them for admins.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import insert

from notifications.recipients import Recipient
from tracker.extensions import db
from tracker.models.notifications import OutboxMessage

# Context keys that are secrets for the recipient only: never shown in the outbox view, and
# scrubbed from the row once the message is sent or has failed for good.
# One-time and signed links are dropped from a row once it is sent.
SECRET_KEYS = ("access_code", "link", "feedback_url", "answer_url", "unsubscribe_url")


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
    if recipient.khmer_digits:
        context = {**context, "khmer_digits": True}
    return {
        "message_id": new_message_id(),
        "case_id": case_id,
        "user_id": recipient.user_id,
        "channel": recipient.channel,
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
    """Queue one message per distinct recipient (the caller commits); return how many."""
    seen: set[tuple[str, str]] = set()
    rows = []
    for recipient in recipients:
        key = (recipient.channel, recipient.email.lower()) if recipient else None
        if recipient is None or key in seen:
            continue
        if skip_user_id is not None and recipient.user_id == skip_user_id:
            continue
        seen.add(key)
        ctx = {**context, "audience": recipient.audience}
        rows.append(outbox_row(recipient, template, ctx, now, case_id))
    return enqueue_rows(rows)
