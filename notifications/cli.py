"""``flask --app wsgi scheduler``, ``flask --app wsgi notify deliver|remind|digest`` and
``flask --app wsgi telegram set-webhook``."""

from __future__ import annotations

import json
import logging
import signal
from datetime import UTC, datetime
from pathlib import Path
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
        moment = moment.replace(tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))
    return moment.astimezone(UTC)


@click.command("notify")
@click.argument("job", type=click.Choice(sorted(JOBS)))
@click.option("--now", "now_text", help="Run as if it were this moment (ISO 8601).")
def notify_command(job: str, now_text: str | None) -> None:
    """Run one notification job once: deliver the outbox, queue reminders, or the digest."""
    result = JOBS[job](parse_now(now_text))
    click.echo(json.dumps({"job": job, **result}))


@click.command("scheduler")
@click.option(
    "--clock-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tests: read the jobs' current time (ISO 8601) from this file, which the test moves.",
)
@click.option(
    "--interval",
    type=float,
    default=None,
    help="Tests: run every job every INTERVAL real seconds instead of on its schedule.",
)
def scheduler_command(clock_file: Path | None, interval: float | None) -> None:
    """Run the scheduler process (deliver, reminders, digest); one of many leads at a time."""
    from notifications.scheduler import Clock, SchedulerProcess

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    process = SchedulerProcess(current_app._get_current_object(), Clock(clock_file), interval)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: process.stop.set())
    process.run()


@click.group("telegram")
def telegram_cli() -> None:
    """The Telegram bot."""


@telegram_cli.command("set-webhook")
def set_webhook_command() -> None:
    """Tell Telegram to send the bot's updates to BASE_URL/telegram/webhook, with the secret."""
    import requests

    from notifications.telegram_api import BotApi, BotApiError

    config = current_app.config
    if not config.get("TELEGRAM_BOT_TOKEN") or not config.get("TELEGRAM_WEBHOOK_SECRET"):
        raise click.ClickException("Set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET first.")
    url = f"{config['BASE_URL'].rstrip('/')}/telegram/webhook"
    if not url.startswith("https://"):
        click.echo(f"Warning: Telegram only calls https:// webhooks; {url} is not one.", err=True)
    api = BotApi.configured()
    try:
        api.set_webhook(url, config["TELEGRAM_WEBHOOK_SECRET"])
    except (BotApiError, requests.RequestException) as exc:
        raise click.ClickException(f"Telegram refused the webhook: {exc}") from exc
    finally:
        api.close()
    click.echo(f"Webhook set: {url}")


COMMANDS = (notify_command, scheduler_command, telegram_cli)
