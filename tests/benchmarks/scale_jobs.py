"""The reminder scan at scale: ``notify remind`` over every open case of a scale database.

The scan writes (its marks and the outbox rows), so it runs on a throwaway copy of the scale
database (``CREATE DATABASE … TEMPLATE``), dropped afterwards. Measured: the first scan on a
clock weeks ahead (every open case overdue: a reminder, notice or escalation for each), the
statements it sends per batch of ``notifications.reminders.BATCH`` cases, and a second scan
at the same moment (everything already marked: nothing queued). Sizes up to 200,000 cases by
default: a million open-case reminders is hours of outbox, not a weekly figure.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import create_engine, func, make_url, select, text

from notifications.models import OutboxMessage
from notifications.reminders import BATCH, queue_reminders
from tests.benchmarks.harness import migrated_app
from tests.benchmarks.scale_data import scale_url
from tests.support import counted_statements
from tracker.extensions import db
from tracker.models import Case, now_utc
from tracker.workflow_registry import final_states

JOBS_MAX_SIZE = 200_000


@dataclass
class ReminderRun:
    """One size's reminder scans."""

    size: int
    open_cases: int
    first_seconds: float
    first_statements: int
    queued: int
    second_seconds: float
    second_statements: int

    @property
    def batches(self) -> int:
        return max(1, -(-self.open_cases // BATCH))


def _copy(size: int) -> str:
    source = make_url(scale_url(size))
    target = source.set(database=f"{source.database}_jobs")
    admin = create_engine(source.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        connection.execute(
            text(f'CREATE DATABASE "{target.database}" TEMPLATE "{source.database}"')
        )
    admin.dispose()
    return target.render_as_string(hide_password=False)


def _drop(url: str) -> None:
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    admin.dispose()


def measure_reminders(size: int) -> ReminderRun:
    """Both scans on a copy of the database of this size."""
    url = _copy(size)
    try:
        with migrated_app(url):
            open_cases = db.session.scalar(
                select(func.count()).select_from(Case).where(Case.state.not_in(final_states()))
            )
            later = now_utc() + timedelta(weeks=6)
            timings = []
            for _ in range(2):
                with counted_statements() as statements:
                    started = time.perf_counter()
                    counts = queue_reminders(later)
                    timings.append((time.perf_counter() - started, len(statements), counts))
            queued = db.session.scalar(select(func.count()).select_from(OutboxMessage))
            db.session.remove()
    finally:
        _drop(url)
    (first, first_sent, _), (second, second_sent, _) = timings
    return ReminderRun(size, open_cases, first, first_sent, queued, second, second_sent)


def reminder_table(runs: list[ReminderRun]) -> str:
    """The scans side by side."""
    lines = [
        "| cases | open | first scan | outbox rows | statements / batch | second scan |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        lines.append(
            f"| {r.size:,} | {r.open_cases:,} | {r.first_seconds:.1f} s | {r.queued:,} | "
            f"{r.first_statements / r.batches:.0f} | {r.second_seconds:.1f} s |"
        )
    return "\n".join(lines)
