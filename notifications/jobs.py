"""The jobs the scheduler runs and ``flask notify`` runs once: each takes the clock's ``now``.

Each job is a catch-up scan over our own tables, safe to run late, twice or concurrently.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from tracker.models import now_utc


def deliver(now: datetime | None = None) -> dict[str, Any]:
    """Send the outbox rows that are due (or mark them unsent with no mail server)."""
    from notifications.delivery import deliver as deliver_outbox

    report = deliver_outbox(now or now_utc())
    return {
        "sent": report.sent,
        "retried": report.retried,
        "failed": report.failed,
        "unsent": report.unsent,
    }


def remind(now: datetime | None = None) -> dict[str, Any]:
    """Queue the due-soon reminders, overdue notices and escalations due now."""
    from notifications.reminders import queue_reminders

    return queue_reminders(now or now_utc())


def digest(now: datetime | None = None) -> dict[str, Any]:
    """Queue this week's digest for everyone who has not had it (from Monday 08:00 local)."""
    from notifications.digest import queue_digests

    return queue_digests(now or now_utc())


JOBS: dict[str, Callable[[datetime | None], dict[str, Any]]] = {
    "deliver": deliver,
    "remind": remind,
    "digest": digest,
}
