"""``flask --app wsgi scheduler`` and ``flask --app wsgi notify deliver|remind|digest``."""

from __future__ import annotations

import json
import logging
import signal
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import click
from flask import current_app

from notifications.jobs import JOBS


def parse_now(value: str | None) -> datetime | None:
    """An ISO 8601 moment; without an offset it is read in the configured time zone."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(
            f"not an ISO 8601 date-time: {value!r}", param_hint="--now"
        ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(current_app.config.get("TIMEZONE", "UTC")))
    return moment.astimezone(UTC)


@click.command("notify")
@click.argument("job", type=click.Choice(sorted(JOBS)))
@click.option("--now", "now_text", help="Run as if it were this moment (ISO 8601).")
def notify_command(job: str, now_text: str | None) -> None:
    """Run one notification job once: deliver the outbox, queue reminders, or the digest."""
    result = JOBS[job](parse_now(now_text))
    click.echo(json.dumps({"job": job, **result}))


@click.command("scheduler")
@click.option("--now", "now_text", help="Tests: start the jobs' clock at this moment.")
@click.option(
    "--speed",
    type=float,
    default=1.0,
    show_default=True,
    help="Tests: how many times faster than real time the jobs' clock runs.",
)
@click.option(
    "--epoch",
    type=float,
    default=None,
    help="Tests: the Unix time at which the clock showed --now (shared by processes).",
)
@click.option(
    "--interval",
    type=float,
    default=None,
    help="Tests: run every job every INTERVAL real seconds instead of on its schedule.",
)
def scheduler_command(
    now_text: str | None, speed: float, epoch: float | None, interval: float | None
) -> None:
    """Run the scheduler process (deliver, reminders, digest); one of many leads at a time."""
    from notifications.scheduler import Clock, SchedulerProcess

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    base = parse_now(now_text)
    clock = Clock(base=base, speed=speed, epoch=epoch or time.time()) if base else Clock()
    process = SchedulerProcess(current_app._get_current_object(), clock, interval)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: process.stop.set())
    process.run()


COMMANDS = (notify_command, scheduler_command)
