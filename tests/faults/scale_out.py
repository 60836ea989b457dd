"""The scale-out run: two gunicorn servers and two schedulers on one PostgreSQL behind PgBouncer
(transaction pooling), a bounded concurrent load, and SIGKILL of one server and of the leading
scheduler mid-run, both restarted. ``tests/faults/test_scale_out.py`` runs it and checks what it
left (``scale_out_checks.py``); ``python -m tests.faults.scale_out`` runs it on a database of
its own and prints the figures (tests/benchmarks/README.md).

The schedulers run every job every 0.5 s on a clock file set to a Monday 09:00 weeks ahead, so
every open case is overdue and the week's digest is due; once the leader is killed the clock
moves on half an hour, past the claims the dead leader held on outbox rows.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import func, select

from notifications.models import DigestMark, OutboxMessage, ReminderMark
from tests.conftest import TEST_PASSWORD
from tests.faults.fault_support import OFFICER_EMAIL
from tests.faults.scale_out_load import Acknowledged, Load
from tests.faults.scale_out_processes import PgBouncer, Scheduler, WebServer, child_env
from tests.support import leader_pid
from tracker.extensions import db
from tracker.models import User
from tracker.services.tokens import issue_token_for
from tracker.services.users import create_user

QUIET_SECONDS = 3.0  # nothing left to send and no new mark for this long: the jobs are done
SETTLE_TIMEOUT = 90.0


@dataclass
class ScaleOutRun:
    """What the run did: the acknowledged writes, the jobs' clock, the figures."""

    done: Acknowledged
    clock: datetime
    kills: int
    figures: dict[str, Any] = field(default_factory=dict)


def jobs_moment(today: datetime | None = None) -> datetime:
    """A Monday 09:00 in the tracker's time zone, three weeks or more ahead (aware UTC)."""
    zone = ZoneInfo("Asia/Phnom_Penh")
    day = (today or datetime.now(UTC)).astimezone(zone).date() + timedelta(days=21)
    day += timedelta(days=(7 - day.weekday()) % 7)
    return datetime(day.year, day.month, day.day, 9, tzinfo=zone).astimezone(UTC)


def set_clock(path: Path, moment: datetime) -> None:
    """Move the schedulers' clock (written whole, then renamed)."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(moment.isoformat())
    tmp.replace(path)


def seed_people() -> User:
    """The load's officer (made by the caller), an admin and people who get the digest."""
    create_user("admin@example.org", TEST_PASSWORD, "admin", name="Admin")
    for number in range(3):
        create_user(f"officer{number}@example.org", TEST_PASSWORD, "officer", name="Officer")
    return db.session.scalar(select(User).where(User.email == OFFICER_EMAIL))


def child_settings(smtp_port: int) -> dict[str, Any]:
    """What the children add to the test settings: the SMTP server, a short lease, no limits."""
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        "MAIL_ENABLED": True,
        "MAIL_SUPPRESS_SEND": False,
        "MAIL_TIMEOUT": 5.0,
        "SCHEDULER_LEASE_SECONDS": 2,
        "OUTBOX_BATCH_SIZE": 50,
        "CASE_LIMIT_PER_USER_PER_DAY": 100000,
        "CASE_LIMIT_PER_ADDRESS_PER_DAY": 100000,
    }


def wait_for_leader(schedulers: list[Scheduler], timeout: float = SETTLE_TIMEOUT) -> Scheduler:
    """The scheduler that leads, once one does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid = leader_pid()
        for scheduler in schedulers:
            if pid is not None and scheduler.pid == pid:
                return scheduler
        time.sleep(0.1)
    raise AssertionError("no scheduler took the lease")


def job_progress() -> tuple[int, int]:
    """(outbox rows not sent yet, reminder and digest marks)."""
    unsent = db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status != "sent")
    )
    marks = db.session.scalar(select(func.count()).select_from(ReminderMark)) + db.session.scalar(
        select(func.count()).select_from(DigestMark)
    )
    db.session.rollback()
    return unsent, marks


def wait_until_jobs_settle(timeout: float = SETTLE_TIMEOUT) -> float:
    """Seconds until everything queued is sent and no new mark came for QUIET_SECONDS."""
    started = time.monotonic()
    last, quiet_since = None, time.monotonic()
    while time.monotonic() - started < timeout:
        progress = job_progress()
        if progress != last or progress[0]:
            last, quiet_since = progress, time.monotonic()
        elif time.monotonic() - quiet_since >= QUIET_SECONDS:
            return time.monotonic() - started
        time.sleep(0.25)
    raise AssertionError(f"the jobs did not settle: {last} (unsent rows, marks)")


def run(
    app: Flask,
    server_url: str,
    smtp_port: int,
    folder: Path,
    *,
    threads: int = 6,
    operations: int = 40,
    seconds: float = 20.0,
) -> ScaleOutRun:
    """Run it all against the database ``app`` is on (``server_url``, direct); stop it all."""
    officer = seed_people()
    token = issue_token_for(officer).token
    clock_file, moment = folder / "clock", jobs_moment()
    set_clock(clock_file, moment)
    bouncer = PgBouncer(server_url)
    bouncer.start()
    env = child_env(bouncer.url, child_settings(smtp_port))
    web = [WebServer(folder, f"web{n}", env) for n in range(2)]
    schedulers = [Scheduler(folder, f"scheduler{n}", env, clock_file) for n in range(2)]
    figures: dict[str, Any] = {}
    try:
        for process in [*schedulers, *web]:
            process.start()
        leader = wait_for_leader(schedulers)
        load = Load([server.port for server in web], token, officer.id, operations, seconds)
        started = time.monotonic()
        load.start(threads)
        time.sleep(seconds * 0.3)
        web[0].kill()
        leader.kill()
        killed_at = time.monotonic()
        set_clock(clock_file, moment + timedelta(minutes=30))  # past the dead leader's claims
        schedulers.append(Scheduler(folder, "scheduler-restarted", env, clock_file))
        schedulers[-1].start()
        web[0].start()
        figures["web restart s"] = round(time.monotonic() - killed_at, 1)
        takeover = wait_for_leader([s for s in schedulers if s is not leader])
        figures["leading again by s"] = round(time.monotonic() - killed_at, 1)
        done = load.join()
        figures["load s"] = round(time.monotonic() - started, 1)
        figures["settle s"] = round(wait_until_jobs_settle(), 1)
        for scheduler in schedulers:
            if scheduler is not leader:
                assert scheduler.terminate() == 0, scheduler.log.read_text()[-2000:]
        assert takeover is not leader
    finally:
        for process in [*web, *schedulers]:
            process.kill()
        bouncer.stop()
    figures.update(load_figures(done))
    return ScaleOutRun(done, moment + timedelta(minutes=30), kills=1, figures=figures)


def load_figures(done: Acknowledged) -> dict[str, Any]:
    """Counts and median / 95th percentile milliseconds per kind of request."""
    figures: dict[str, Any] = {
        "created": len(done.created),
        "transitions": len(done.transitions),
        "comments": len(done.comments),
        "lookups": done.lookups,
        "unanswered": done.unanswered,
        "statuses": dict(sorted(done.statuses.items())),
    }
    for kind, seconds in sorted(done.seconds.items()):
        ordered = sorted(seconds)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        figures[f"{kind} ms p50/p95"] = (
            round(statistics.median(ordered) * 1000),
            round(p95 * 1000),
        )
    return figures


def main() -> None:
    """Run it on a fresh database ``tracker_scale_out`` (BENCH_POSTGRES_SERVER) and print the
    figures and the invariants' counts (``--threads N --operations N --seconds S``)."""
    import argparse
    import os
    import tempfile

    from flask_migrate import upgrade

    from tests.conftest import create_postgres_database, test_settings
    from tests.faults.conftest import seed_writer_data
    from tests.faults.scale_out_checks import check_scale_out
    from tests.notifications.conftest import SmtpServer
    from tracker import create_app

    parser = argparse.ArgumentParser(prog="python -m tests.faults.scale_out")
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument("--operations", type=int, default=40, help="per client thread")
    parser.add_argument("--seconds", type=float, default=20.0, help="the load's time bound")
    args = parser.parse_args()
    server = os.environ.get("BENCH_POSTGRES_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432")
    url = f"{server}/tracker_scale_out"
    create_postgres_database(url)
    app = create_app(test_settings(url))
    smtp = SmtpServer()
    smtp.start()
    try:
        with app.app_context():
            upgrade()
            seed_writer_data()
            folder = Path(tempfile.mkdtemp(prefix="tracker-scale-out-"))
            result = run(
                app, url, smtp.port, folder,
                threads=args.threads, operations=args.operations, seconds=args.seconds,
            )  # fmt: skip
            checked = check_scale_out(result, [m.message_id for m in smtp.handler.messages])
            db.session.remove()
            db.engine.dispose()
    finally:
        smtp.stop()
    print(f"scale-out run ({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}); logs in {folder}")
    for name, value in {**result.figures, **checked}.items():
        print(f"  {name}: {value}")


if __name__ == "__main__":
    main()
