"""The scheduler: deliberate job settings, the lease, and three processes over a simulated week."""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from notifications.models import DigestMark, OutboxMessage
from notifications.scheduler import SchedulerProcess, hold_lease, is_leader, release_lease
from tests.notifications.conftest import ROOT, flask_command, give_news, subprocess_env
from tests.support import leader_pid
from tracker.extensions import db

PHNOM_PENH = ZoneInfo("Asia/Phnom_Penh")


def test_jobs_run_on_schedule_with_deliberate_misfire_settings(app):
    scheduler = SchedulerProcess(app).build_scheduler()
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"deliver", "remind", "digest"}
    for job in jobs.values():
        assert job.coalesce is True and job.max_instances == 1
    assert jobs["digest"].misfire_grace_time is None  # a late weekly run still runs, once
    assert jobs["remind"].misfire_grace_time is None
    assert jobs["deliver"].misfire_grace_time == app.config["OUTBOX_POLL_SECONDS"]
    after = datetime(2026, 3, 10, 12, tzinfo=PHNOM_PENH)  # a Tuesday
    digest_at = jobs["digest"].trigger.get_next_fire_time(None, after)
    assert digest_at == datetime(2026, 3, 16, 8, 0, tzinfo=PHNOM_PENH)  # Monday 08:00
    remind_at = jobs["remind"].trigger.get_next_fire_time(None, after)
    assert remind_at == datetime(2026, 3, 11, 7, 30, tzinfo=PHNOM_PENH)


def test_the_lease_has_one_holder_until_it_expires_or_is_released(app):
    start = datetime(2026, 3, 9, 1, tzinfo=UTC)
    assert hold_lease("a", 30, now=start)
    assert not hold_lease("b", 30, now=start + timedelta(seconds=10))
    assert hold_lease("a", 30, now=start + timedelta(seconds=20))  # renewed by its holder
    assert not hold_lease("b", 30, now=start + timedelta(seconds=45))
    assert hold_lease("b", 30, now=start + timedelta(seconds=51))  # expired: taken over
    assert not hold_lease("a", 30, now=start + timedelta(seconds=52))
    assert hold_lease("c", 30)  # (real time is years later: expired)
    assert is_leader("c") and not is_leader("b")
    release_lease("c")
    assert not is_leader("c")
    assert hold_lease("b", 30)


# Waits end as soon as the condition holds; the bound only decides when to give up. Three
# processes starting Flask on a loaded 2-core machine can take a minute or more.
WAIT_SECONDS = 240.0


def _wait_for(condition, timeout: float = WAIT_SECONDS, what: str = "condition"):
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        db.session.expire_all()
        result = condition()
        db.session.rollback()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _new_leader(exclude: set[int]) -> tuple[int, float]:
    started = time.monotonic()
    pid = _wait_for(lambda: (p := leader_pid()) not in exclude and p, what="a new leader")
    return pid, time.monotonic() - started


def _weeks_done(users, week: int) -> bool:
    """Everyone has this week's digest queued, and the outbox is empty of unsent rows."""
    marks = db.session.scalars(select(DigestMark.user_id).where(DigestMark.iso_week == week))
    unsent = db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.status != "sent"))
    return set(marks) == {u.id for u in users} and unsent is None


def _set_clock(path, moment: datetime) -> None:
    """Move the schedulers' clock (written whole, then renamed: never read half-written)."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(moment.isoformat())
    tmp.replace(path)


@contextmanager
def schedulers(count: int, command: list[str], env: dict[str, str], logs_dir):
    """Start ``count`` scheduler processes (logs in logs_dir); kill what is left at the end."""
    logs = [open(logs_dir / f"scheduler{n}.log", "wb") for n in range(count)]  # noqa: SIM115
    processes = {}
    try:
        for log in logs:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
            processes[process.pid] = process
        yield processes
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.kill()
            process.wait(10)
        for log in logs:
            log.close()


def test_three_schedulers_for_a_simulated_week(
    app, db_url, smtp, officer, admin, agency, agency_user, representative, make_user, make_case,
    tmp_path,
):  # fmt: skip
    users = [officer, admin, agency_user, representative, make_user("officer")]
    # Something for each of them in weeks 10 and 11 (nobody gets an empty digest).
    give_news(
        make_case, actor=admin, agency=agency, representative=representative,
        officers=[officer, users[-1]], at=datetime(2026, 3, 5, 9, tzinfo=PHNOM_PENH),
    )  # fmt: skip
    clock = tmp_path / "clock"
    _set_clock(clock, datetime(2026, 3, 7, 12, tzinfo=PHNOM_PENH))  # Saturday noon, week 10
    command = flask_command("scheduler", "--clock-file", str(clock), "--interval", "0.1")
    env = subprocess_env(db_url, smtp.port, SCHEDULER_LEASE_SECONDS="1")
    with schedulers(3, command, env, tmp_path) as processes:
        first, _ = _new_leader(set())
        _wait_for(lambda: _weeks_done(users, 10), what="week 10's digests")  # caught up
        processes[first].send_signal(signal.SIGKILL)
        _set_clock(clock, datetime(2026, 3, 9, 7, 0, tzinfo=PHNOM_PENH))  # Monday 07:00
        second, takeover = _new_leader({first})
        # The lease (1 s here, 30 s by default) bounds the handover; 60 s is a generous bound
        # for a loaded machine (without the lease expiring there would be no takeover at all).
        assert takeover < 60
        _set_clock(clock, datetime(2026, 3, 9, 8, 0, 30, tzinfo=PHNOM_PENH))  # digest time
        time.sleep(0.15)
        processes[second].send_signal(signal.SIGKILL)  # perhaps mid-digest or mid-delivery
        third, takeover = _new_leader({first, second})
        assert takeover < 60
        for day in range(9, 16):  # the rest of the week, in steps of 6 hours
            for hour in range(9, 24, 6):
                _set_clock(clock, datetime(2026, 3, day, hour, tzinfo=PHNOM_PENH))
                time.sleep(0.1)
        _wait_for(lambda: _weeks_done(users, 11), what="week 11's digests")
        processes[third].send_signal(signal.SIGTERM)
        assert processes[third].wait(120) == 0

    marks = Counter((m.user_id, m.iso_week) for m in db.session.scalars(select(DigestMark)))
    assert set(marks) == {(u.id, week) for u in users for week in (10, 11)}
    assert set(marks.values()) == {1}  # one per person per ISO week, whatever happened
    digests = {
        row.message_id: row.context["week"]["week"]
        for row in db.session.scalars(select(OutboxMessage))
        if row.template.startswith("digest_")
    }
    weekly = defaultdict(set)
    received = 0
    for message in smtp.handler.messages:
        week = digests.get(message.message_id)
        if week:
            received += 1
            weekly[(message.rcpt_tos[0], week)].add(message.message_id)
    assert set(weekly) == {(u.email, week) for u in users for week in (10, 11)}
    assert all(len(ids) == 1 for ids in weekly.values())  # exactly one digest each
    assert received <= len(weekly) + 2  # at most the in-flight message of each killed leader
