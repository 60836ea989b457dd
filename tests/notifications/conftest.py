"""Fixtures for the notification tests: a real SMTP server (aiosmtpd) on loopback, helpers."""

from __future__ import annotations

import asyncio
import email
import os
import socket
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select

from tests.notifications.telegram_support import bot_api  # noqa: F401  (a fixture)
from tests.support import run_together
from tracker.extensions import db, mail

ROOT = Path(__file__).resolve().parents[2]
PHNOM_PENH = ZoneInfo("Asia/Phnom_Penh")


def local(month: int, day: int, hour: int = 7, minute: int = 30) -> datetime:
    """A Phnom Penh wall-clock moment in 2026, as aware UTC."""
    return datetime(2026, month, day, hour, minute, tzinfo=PHNOM_PENH).astimezone(UTC)


@dataclass
class Received:
    """One message the SMTP server accepted."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    content: bytes = b""  # the message as the server received it

    @property
    def message_id(self) -> str:
        """The Message-ID header."""
        return str(self.message["Message-ID"])


@dataclass
class SmtpRecorder:
    """An aiosmtpd handler that records messages and can answer 4xx/5xx, hang or hold."""

    messages: list[Received] = field(default_factory=list)
    rcpt_replies: dict[str, str] = field(default_factory=dict)
    data_replies: dict[str, str] = field(default_factory=dict)
    delays: dict[str, float] = field(default_factory=dict)
    hang: set[str] = field(default_factory=set)  # these recipients get no answer until `release`
    hold_at: int | None = None  # the n-th message (1-based) waits for `release` before its 250
    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        """Refuse listed recipients, accept the others."""
        reply = self.rcpt_replies.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        """Record the message (or answer, hang or hold as configured)."""
        for rcpt in envelope.rcpt_tos:
            if rcpt.lower() in self.delays:
                await asyncio.sleep(self.delays[rcpt.lower()])
            while rcpt.lower() in self.hang and not self.release.is_set():
                await asyncio.sleep(0.02)
            if rcpt.lower() in self.data_replies:
                return self.data_replies[rcpt.lower()]
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        received = Received(envelope.mail_from, list(envelope.rcpt_tos), parsed, envelope.content)
        self.messages.append(received)
        if self.hold_at is not None and len(self.messages) == self.hold_at:
            self.arrived.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
        return "250 OK"

    def to(self, address: str) -> list[Received]:
        """The messages delivered to one address."""
        return [m for m in self.messages if address.lower() in (r.lower() for r in m.rcpt_tos)]


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    """A controllable aiosmtpd server on 127.0.0.1 that can be stopped and started again."""

    def __init__(self) -> None:
        self.handler = SmtpRecorder()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        """Listen on the same port again."""
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        """Stop listening (connections are refused until started again)."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def use_mail_server(app: Flask, port: int, **settings) -> None:
    """Point the app's flask-mail at a server (settings are read at init_app, so re-init)."""
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
        MAIL_ENABLED=True,
        MAIL_SUPPRESS_SEND=False,
        # Generous: on a loaded machine a healthy send can take seconds; the hanging-server test
        # sets its own short timeout.
        MAIL_TIMEOUT=30.0,
        **settings,
    )
    mail.init_app(app)


@pytest.fixture
def smtp(app: Flask) -> Iterator[SmtpServer]:
    """A running SMTP server the app sends to."""
    server = SmtpServer()
    server.start()
    use_mail_server(app, server.port)
    yield server
    server.handler.release.set()
    server.stop()


@pytest.fixture
def outbox_rows(app: Flask):
    """All outbox rows, oldest first, optionally of one template."""
    from notifications.models import OutboxMessage

    def rows(template: str | None = None) -> list[OutboxMessage]:
        db.session.expire_all()
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if template:
            query = query.where(OutboxMessage.template == template)
        return list(db.session.scalars(query))

    return rows


def subprocess_env(db_url: str, port: int | None = None, **extra: str) -> dict[str, str]:
    """Environment for a ``flask --app wsgi …`` subprocess on the test database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAIL_", "DATABASE_"))}
    env.update(DATABASE_URL=db_url, SECRET_KEY="test-secret-key-not-for-production")
    env.update(BASE_URL="http://tracker.test", PYTHONPATH=str(ROOT))
    if port is not None:
        env.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=str(port), MAIL_TIMEOUT="5")
    env.update(extra)
    return env


def flask_command(*args: str) -> list[str]:
    """The argv of ``flask --app wsgi <args>`` with this interpreter."""
    return [sys.executable, "-m", "flask", "--app", "wsgi", *args]


def kill_worker_when_held(env: dict[str, str], now: datetime, arrived, release) -> int:
    """Run ``flask notify deliver`` until the server holds a message (``arrived``), SIGKILL it
    there, then let the server answer (``release``); the worker's return code."""
    import subprocess

    worker = subprocess.Popen(
        flask_command("notify", "deliver", "--now", now.isoformat()),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert arrived.wait(60), worker.communicate(timeout=5)[0]
        worker.kill()  # SIGKILL
    finally:
        release.set()
        if worker.poll() is None:
            worker.kill()
        worker.wait(10)
        worker.stdout.close()
    return worker.returncode


def run_concurrently(app: Flask, job, times: int) -> list:
    """Run ``job()`` in ``times`` threads at once, each in its own app context; its results."""
    results = run_together(times, lambda _index: job(), app)
    assert [r for r in results if isinstance(r, Exception)] == []
    return results


def give_news(make_case, *, actor, agency, representative, officers, at: datetime) -> None:
    """Something for every reader's digest in the week of ``at`` and the next (a digest goes
    only to someone with something open or changed): a case the representative raised (their
    organisation's change, the admins' case with no owner), one open case owned by each officer,
    the last of them referred to the agency."""
    from tracker.services.transitions import fire_trigger

    make_case(actor=representative, now=at, raised_by_email="", title="Raised by a member")
    reference = None
    for owner in officers:
        reference = make_case(now=at, raised_by_email="").case.reference
        fire_trigger(actor, reference, "analyse", {"owner_id": owner.id, "note": "x"}, now=at)
    if reference is not None:
        fire_trigger(actor, reference, "refer", {"agency_id": agency.id, "note": "x"}, now=at)
