"""Deliver the outbox: claim due rows, send them over SMTP, retry with backoff or fail them."""

from __future__ import annotations

import random
import smtplib
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.errors import MessageError
from typing import Any

from flask import current_app
from jinja2 import TemplateError
from sqlalchemy import and_, or_, select, update

from notifications.email import (
    TimeoutConnection,
    build_message,
    close_connection,
    mail_enabled,
    open_connection,
    render_email,
    send_message,
)
from notifications.models import OutboxMessage
from notifications.outbox import SECRET_KEYS
from tracker.audit import record_event
from tracker.extensions import db
from tracker.models import Case

MAX_BATCHES_PER_RUN = 50


@dataclass
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    unsent: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Claimed:
    """A claimed row, copied out of the session so commits do not reload it."""

    id: int
    message_id: str
    case_id: int | None
    email: str
    name: str
    language: str
    template: str
    context: dict[str, Any]
    attempts: int


class PermanentFailure(Exception):
    """The server refused the message for good (5xx) or it cannot be built."""


class TemporaryFailure(Exception):
    """Try again later: 4xx, timeout, connection refused or dropped."""


def _setting(name: str) -> int:
    return int(current_app.config[name])


def claim(now: datetime, size: int) -> list[Claimed]:
    """Mark up to ``size`` due rows as 'sending' for this worker and return them.

    PostgreSQL: the inner SELECT takes row locks with SKIP LOCKED, so concurrent workers claim
    disjoint rows. SQLite: the single UPDATE … RETURNING runs under the database write lock.
    Rows left in 'sending' by a dead worker are due again once their claim expires.
    """
    due = or_(
        and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == "sending", OutboxMessage.claimed_until < now),
    )
    ids = (
        select(OutboxMessage.id)
        .where(due)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(size)
        .with_for_update(skip_locked=True)
    )
    hold = timedelta(seconds=size * (float(current_app.config["MAIL_TIMEOUT"]) + 5))
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
        )
        for r in rows
    ]
    db.session.rollback()
    return claimed


def _classify(exc: BaseException) -> Exception:
    """Sort an SMTP error into permanent (5xx) or temporary (4xx, network)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        permanent = all(code >= 500 for code in codes)
        detail = "; ".join(f"{code} {msg!r}" for code, msg in exc.recipients.values())
        return PermanentFailure(detail) if permanent else TemporaryFailure(detail)
    if isinstance(exc, smtplib.SMTPResponseException):
        detail = f"{exc.smtp_code} {exc.smtp_error!r}"
        return PermanentFailure(detail) if exc.smtp_code >= 500 else TemporaryFailure(detail)
    if isinstance(exc, (MessageError, TemplateError, ValueError, TypeError, KeyError)):
        return PermanentFailure(f"{type(exc).__name__}: {exc}")
    return TemporaryFailure(f"{type(exc).__name__}: {exc}")


def _send_one(connection: TimeoutConnection, row: Claimed) -> None:
    """Render and send one claimed row over an open connection."""
    try:
        rendered = render_email(row.template, row.language, row.context)
        message = build_message(
            message_id=row.message_id,
            email=row.email,
            name=row.name,
            language=row.language,
            rendered=rendered,
        )
        send_message(connection, message)
    except (smtplib.SMTPException, OSError, MessageError, TemplateError) as exc:
        raise _classify(exc) from exc
    except (ValueError, TypeError, KeyError) as exc:  # a row that cannot be rendered
        raise _classify(exc) from exc


def _scrubbed(context: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in context.items() if k not in SECRET_KEYS}


def mark_sent(row: Claimed, now: datetime) -> None:
    """Record that the server accepted the message (its own transaction)."""
    _update(row, status="sent", sent_at=now, last_error="", context=_scrubbed(row.context))


def mark_retry(row: Claimed, now: datetime, error: str, *, may_fail: bool = True) -> bool:
    """Schedule another attempt with exponential backoff; fail it past the maximum.

    An unreachable server (``may_fail=False``) is nobody's message's fault: such rows wait
    (at most OUTBOX_BACKOFF_MAX_SECONDS between attempts) however long the outage lasts.
    """
    if may_fail and row.attempts >= _setting("OUTBOX_MAX_ATTEMPTS"):
        mark_failed(row, now, f"gave up after {row.attempts} attempts: {error}")
        return False
    base = _setting("OUTBOX_BACKOFF_SECONDS") * 2 ** (row.attempts - 1)
    delay = min(base, _setting("OUTBOX_BACKOFF_MAX_SECONDS")) * random.uniform(1.0, 1.2)
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
            note=f"Email '{row.template}' could not be delivered: {error}"[:2000],
            data={"message_id": row.message_id, "template": row.template},
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


def hold_unsent(now: datetime) -> int:
    """With no mail server configured, keep due rows and mark them as not sent.

    Their secrets are scrubbed as for a failed row: an unsent row may wait for ever, and the
    access code must not stay in clear in the database meanwhile.
    """
    rows = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now
        )
    ).all()
    for row in rows:
        row.status = "unsent"
        row.last_error = "No mail server configured; not sent."
        row.context = _scrubbed(dict(row.context))
    db.session.commit()
    return len(rows)


def deliver(now: datetime, *, batch_size: int | None = None) -> DeliveryReport:
    """Send every due outbox row, batch by batch; stop early when the server is unreachable."""
    report = DeliveryReport()
    if not mail_enabled():
        report.unsent = hold_unsent(now)
        return report
    size = batch_size or _setting("OUTBOX_BATCH_SIZE")
    started = time.monotonic()
    for _ in range(MAX_BATCHES_PER_RUN):
        # The claim's clock moves on with the run: a batch claimed after slow ones would
        # otherwise be claimed already expired, and another worker would send it again.
        batch = claim(now + timedelta(seconds=time.monotonic() - started), size)
        if not batch or not _send_batch(batch, now, report):
            break
    return report


def _count_retry(
    report: DeliveryReport, row: Claimed, now: datetime, error: str, may_fail: bool = True
) -> None:
    if mark_retry(row, now, error, may_fail=may_fail):
        report.retried += 1
    else:
        report.failed += 1
    report.errors.append(error)


def _send_batch(batch: list[Claimed], now: datetime, report: DeliveryReport) -> bool:
    """Send a claimed batch over one connection; False when the server could not be reached."""
    connection: TimeoutConnection | None = None
    for index, row in enumerate(batch):
        if connection is None:
            try:
                connection = open_connection()
            except (smtplib.SMTPException, OSError) as exc:
                error = f"cannot connect: {_classify(exc)}"
                for rest in batch[index:]:
                    _count_retry(report, rest, now, error, may_fail=False)
                return False
        try:
            _send_one(connection, row)
        except PermanentFailure as exc:
            mark_failed(row, now, str(exc))
            report.failed += 1
            report.errors.append(str(exc))
        except TemporaryFailure as exc:
            _count_retry(report, row, now, str(exc))
            close_connection(connection)  # a timed-out or dropped connection is not reused
            connection = None
        else:
            mark_sent(row, now)
            report.sent += 1
    close_connection(connection)
    return True
