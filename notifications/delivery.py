"""Deliver the outbox: claim due rows, send each on its channel, retry with backoff or fail them.

One worker and one retry policy for every channel; a channel is an adapter with the contract
of notifications.channels (email, Telegram, SMS).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, or_, select, update

from notifications.channels import (
    Channel,
    Claimed,
    PermanentFailure,
    Sender,
    TemporaryFailure,
    Unreachable,
)
from notifications.email_channel import EmailChannel
from notifications.models import OutboxMessage
from notifications.outbox import SECRET_KEYS
from notifications.sms import SmsChannel
from notifications.telegram import TelegramChannel
from tracker.audit import record_event
from tracker.extensions import db
from tracker.models import Case

MAX_BATCHES_PER_RUN = 50
CHANNEL_NAMES = {"email": "Email", "telegram": "Telegram message", "sms": "SMS"}


def channels() -> dict[str, Channel]:
    """Every channel the worker delivers on, by name."""
    return {c.name: c for c in (EmailChannel(), TelegramChannel(), SmsChannel())}


@dataclass
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    unsent: int = 0
    errors: list[str] = field(default_factory=list)


def _setting(name: str) -> int:
    return int(current_app.config[name])


def claim(now: datetime, size: int, names: set[str] | None = None) -> list[Claimed]:
    """Mark up to ``size`` due rows as 'sending' for this worker and return them.

    PostgreSQL: the inner SELECT takes row locks with SKIP LOCKED, so concurrent workers claim
    disjoint rows. SQLite: the single UPDATE … RETURNING runs under the database write lock.
    Rows left in 'sending' by a dead worker are due again once their claim expires. Only rows
    of the channels ``names`` (default: every configured one) are claimed.
    """
    available = channels()
    names = {n for n in available if available[n].enabled()} if names is None else names
    due = and_(
        OutboxMessage.channel.in_(sorted(names)),
        or_(
            and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now),
            and_(OutboxMessage.status == "sending", OutboxMessage.claimed_until < now),
        ),
    )
    ids = (
        select(OutboxMessage.id)
        .where(due)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(size)
        .with_for_update(skip_locked=True)
    )
    slowest = max((available[n].timeout() for n in names), default=0.0)
    hold = timedelta(seconds=size * (slowest + 5))
    claimed_ids = db.session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids))
        .values(status="sending", claimed_until=now + hold, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    return _snapshots(claimed_ids)


def _snapshots(ids: list[int]) -> list[Claimed]:
    """Copy the claimed rows out of the session."""
    if not ids:
        return []
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
    ).all()
    claimed = [
        Claimed(
            r.id,
            r.message_id,
            r.case_id,
            r.recipient_email,
            r.recipient_name,
            r.language,
            r.template,
            dict(r.context),
            r.attempts,
            r.channel,
        )
        for r in rows
    ]
    db.session.rollback()
    return claimed


def _scrubbed(context: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in context.items() if k not in SECRET_KEYS}


def mark_sent(row: Claimed, now: datetime) -> None:
    """Record that the server accepted the message (its own transaction)."""
    _update(row, status="sent", sent_at=now, last_error="", context=_scrubbed(row.context))


def mark_retry(
    row: Claimed,
    now: datetime,
    error: str,
    *,
    may_fail: bool = True,
    retry_after: float | None = None,
) -> bool:
    """Schedule another attempt with exponential backoff; fail it past the maximum.

    An unreachable server (``may_fail=False``) is nobody's message's fault: such rows wait
    (at most OUTBOX_BACKOFF_MAX_SECONDS between attempts) however long the outage lasts. A
    service's own ``retry_after`` (Telegram's 429) is honoured as it is.
    """
    if may_fail and row.attempts >= _setting("OUTBOX_MAX_ATTEMPTS"):
        mark_failed(row, now, f"gave up after {row.attempts} attempts: {error}")
        return False
    base = _setting("OUTBOX_BACKOFF_SECONDS") * 2 ** (row.attempts - 1)
    delay = min(base, _setting("OUTBOX_BACKOFF_MAX_SECONDS")) * random.uniform(1.0, 1.2)
    if retry_after is not None:
        delay = retry_after
    _update(row, status="pending", next_attempt_at=now + timedelta(seconds=delay), last_error=error)
    return True


def mark_failed(row: Claimed, now: datetime, error: str) -> None:
    """Fail the message for good, and say so on the case's timeline for staff."""
    case = db.session.get(Case, row.case_id) if row.case_id else None
    if case is not None:
        record_event(
            case,
            "mail_failed",
            None,
            now,
            note=f"{CHANNEL_NAMES.get(row.channel, row.channel)} '{row.template}' could not be "
            f"delivered: {error}"[:2000],
            data={"message_id": row.message_id, "template": row.template, "channel": row.channel},
        )
    _update(row, status="failed", last_error=error[:4000], context=_scrubbed(row.context))


def _update(row: Claimed, **values: Any) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row.id, OutboxMessage.status == "sending")
        .values(claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def hold_unsent(now: datetime, names: set[str]) -> int:
    """Keep due rows of unconfigured channels and mark them as not sent.

    Their secrets are scrubbed as for a failed row: an unsent row may wait for ever, and the
    access code must not stay in clear in the database meanwhile.
    """
    if not names:
        return 0
    rows = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.status == "pending",
            OutboxMessage.next_attempt_at <= now,
            OutboxMessage.channel.in_(sorted(names)),
        )
    ).all()
    for row in rows:
        name = CHANNEL_NAMES.get(row.channel, row.channel)
        row.status = "unsent"
        row.last_error = (
            "No mail server configured; not sent."
            if row.channel == "email"
            else f"{name}: channel not configured; not sent."
        )
        row.context = _scrubbed(dict(row.context))
    db.session.commit()
    return len(rows)


def deliver(now: datetime, *, batch_size: int | None = None) -> DeliveryReport:
    """Send every due outbox row, batch by batch; a channel that cannot be reached waits."""
    report = DeliveryReport()
    available = channels()
    enabled = {name for name, channel in available.items() if channel.enabled()}
    report.unsent = hold_unsent(now, set(available) - enabled)
    size = batch_size or _setting("OUTBOX_BATCH_SIZE")
    started = time.monotonic()
    senders: dict[str, Sender] = {}
    down: set[str] = set()
    try:
        for _ in range(MAX_BATCHES_PER_RUN):
            if not enabled - down:
                break
            # The claim's clock moves on with the run: a batch claimed after slow ones would
            # otherwise be claimed already expired, and another worker would send it again.
            batch = claim(now + timedelta(seconds=time.monotonic() - started), size, enabled - down)
            if not batch:
                break
            for row in batch:
                _deliver_one(row, now, report, senders, down, available)
    finally:
        for sender in senders.values():
            sender.close()
    return report


def _count_retry(
    report: DeliveryReport,
    row: Claimed,
    now: datetime,
    error: str,
    may_fail: bool = True,
    retry_after: float | None = None,
) -> None:
    if mark_retry(row, now, error, may_fail=may_fail, retry_after=retry_after):
        report.retried += 1
    else:
        report.failed += 1
    report.errors.append(error)


def _deliver_one(
    row: Claimed,
    now: datetime,
    report: DeliveryReport,
    senders: dict[str, Sender],
    down: set[str],
    available: dict[str, Channel],
) -> None:
    """Send one claimed row on its channel and record the answer."""
    if row.channel in down:
        _count_retry(report, row, now, f"{row.channel} unreachable in this run", may_fail=False)
        return
    sender = senders.get(row.channel)
    if sender is None:
        sender = senders[row.channel] = available[row.channel].sender()
    try:
        sender.send(row)
    except Unreachable as exc:
        down.add(row.channel)
        _count_retry(report, row, now, str(exc), may_fail=False)
    except PermanentFailure as exc:
        mark_failed(row, now, str(exc))
        report.failed += 1
        report.errors.append(str(exc))
    except TemporaryFailure as exc:
        waited = exc.retry_after is not None
        _count_retry(report, row, now, str(exc), may_fail=not waited, retry_after=exc.retry_after)
    else:
        mark_sent(row, now)
        report.sent += 1
