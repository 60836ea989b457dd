"""The scheduler process: APScheduler runs the jobs in whichever process holds the lease.

Any number of processes may run. Each tries every lease/3 seconds to take or renew a lease row
(``scheduler_leases``): plain UPDATEs, so it works on SQLite, PostgreSQL and behind PgBouncer in
transaction mode, where session advisory locks break. The holder runs the jobs; the others stand
by and take over once the lease expires (30 s by default) if the leader dies. The jobs are
catch-up scans guarded by unique keys, so even two leaders for a moment send nothing twice.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from sqlalchemy import case, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from notifications.digest import WEEKDAYS, digest_time
from notifications.jobs import JOBS
from notifications.marks import insert_new_marks
from notifications.models import SchedulerLease
from tracker.extensions import db

LEASE_NAME = "scheduler"
log = logging.getLogger("notifications.scheduler")


def wall_clock() -> datetime:
    """Real time, for the lease (jobs may run on a simulated clock)."""
    return datetime.now(UTC)


def hold_lease(holder: str, seconds: float, now: datetime | None = None) -> bool:
    """Take the lease if free or expired, or renew it if ours; True while we hold it."""
    now = now or wall_clock()
    stale = now - timedelta(days=1)
    insert_new_marks(
        SchedulerLease,
        [{"name": LEASE_NAME, "holder": "", "expires_at": stale}],
        [SchedulerLease.name],
    )
    result = db.session.execute(
        update(SchedulerLease)
        .where(
            SchedulerLease.name == LEASE_NAME,
            or_(SchedulerLease.holder == holder, SchedulerLease.expires_at < now),
        )
        .values(
            holder=holder,
            expires_at=now + timedelta(seconds=seconds),
            acquired_at=case(
                (SchedulerLease.holder == holder, SchedulerLease.acquired_at), else_=now
            ),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def release_lease(holder: str) -> None:
    """Give the lease up at once, so a standby takes over without waiting for it to expire."""
    db.session.execute(
        update(SchedulerLease)
        .where(SchedulerLease.name == LEASE_NAME, SchedulerLease.holder == holder)
        .values(expires_at=wall_clock() - timedelta(seconds=1))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def is_leader(holder: str) -> bool:
    """Tell whether ``holder`` holds an unexpired lease right now."""
    lease = db.session.scalar(select(SchedulerLease).where(SchedulerLease.name == LEASE_NAME))
    db.session.rollback()
    return lease is not None and lease.holder == holder and lease.expires_at > wall_clock()


@dataclass(frozen=True)
class Clock:
    """The jobs' clock: real time, or (for tests) the moment written in a file they move."""

    source: Path | None = None

    def now(self) -> datetime:
        """The current (possibly simulated) time, aware UTC."""
        if self.source is None:
            return wall_clock()
        return datetime.fromisoformat(self.source.read_text().strip()).astimezone(UTC)


def job_options(app: Flask, interval: float | None) -> dict[str, dict[str, Any]]:
    """Triggers and misfire settings per job, chosen deliberately.

    deliver: every OUTBOX_POLL_SECONDS; a late poll is simply skipped (the next one catches up).
    remind, digest: cron in the configured time zone; misfire_grace_time=None runs a late run
    however late, coalesce=True makes several missed runs one, and both also run once when a
    process becomes leader: they are catch-up scans, so a restart after the Monday run sends
    what was missed, exactly once. ``interval`` (tests) runs every job every ``interval`` seconds.
    """
    tz = app.config["TIMEZONE"]
    common = {"coalesce": True, "max_instances": 1, "replace_existing": True}
    if interval:
        trigger = IntervalTrigger(seconds=interval, timezone=tz)
        return {name: {**common, "trigger": trigger, "misfire_grace_time": None} for name in JOBS}
    poll = int(app.config["OUTBOX_POLL_SECONDS"])
    hour, minute = map(int, app.config["REMINDER_TIME"].split(":"))
    weekday, at = digest_time()
    return {
        "deliver": {
            **common,
            "trigger": IntervalTrigger(seconds=poll, timezone=tz),
            "misfire_grace_time": poll,
        },
        "remind": {
            **common,
            "trigger": CronTrigger(hour=hour, minute=minute, timezone=tz),
            "misfire_grace_time": None,
        },
        "digest": {
            **common,
            "misfire_grace_time": None,
            "trigger": CronTrigger(
                day_of_week=WEEKDAYS[weekday], hour=at.hour, minute=at.minute, timezone=tz
            ),
        },
    }


class SchedulerProcess:
    """One scheduler process: hold or wait for the lease; run the jobs while leading."""

    def __init__(self, app: Flask, clock: Clock | None = None, interval: float | None = None):
        self.app = app
        self.clock = clock or Clock()
        self.interval = interval
        self.lease_seconds = float(app.config["SCHEDULER_LEASE_SECONDS"])
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.stop = threading.Event()
        self.scheduler: BackgroundScheduler | None = None

    def build_scheduler(self) -> BackgroundScheduler:
        """A scheduler with the three jobs, not started."""
        scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(len(JOBS))},
            timezone=self.app.config["TIMEZONE"],
        )
        first_run = datetime.now(UTC)
        for name, options in job_options(self.app, self.interval).items():
            scheduler.add_job(
                self.run_job, args=[name], id=name, name=name, next_run_time=first_run, **options
            )
        return scheduler

    def run_job(self, name: str) -> None:
        """Run one job in an app context, only while this process still holds the lease."""
        with self.app.app_context():
            try:
                if not is_leader(self.holder):
                    log.info("%s: skipped %s (not leading)", self.holder, name)
                    return
                result = JOBS[name](self.clock.now())
                log.info("%s: %s %s", self.holder, name, result)
            except Exception:
                db.session.rollback()
                log.exception("%s: job %s failed; the next run catches up", self.holder, name)

    def _renew(self) -> bool:
        with self.app.app_context():
            try:
                return hold_lease(self.holder, self.lease_seconds)
            except SQLAlchemyError:
                db.session.rollback()
                log.exception("%s: cannot reach the database; standing by", self.holder)
                return False

    def _lead(self) -> None:
        log.info("%s: leading", self.holder)
        self.scheduler = self.build_scheduler()
        self.scheduler.start()

    def _stand_by(self) -> None:
        if self.scheduler is not None:
            log.info("%s: standing by", self.holder)
            self.scheduler.shutdown(wait=False)
            self.scheduler = None

    def run(self) -> None:
        """Loop until stopped: renew or take the lease every lease/3 seconds."""
        log.info("%s: started; lease %.1fs", self.holder, self.lease_seconds)
        while not self.stop.is_set():
            leading = self._renew()
            if leading and self.scheduler is None:
                self._lead()
            elif not leading:
                self._stand_by()
            self.stop.wait(max(0.2, self.lease_seconds / 3))
        self._stand_by()
        with self.app.app_context():
            release_lease(self.holder)
        log.info("%s: stopped", self.holder)
