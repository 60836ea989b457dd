"""QUALITY fault tests at scale (issue 13): two gunicorn servers and two schedulers on one
PostgreSQL behind PgBouncer in transaction pooling, under load; one server and the leading
scheduler SIGKILLed mid-run and restarted. Then every acknowledged write is there, no reference
is given twice, every event has its outbox rows, and every due reminder and digest was queued
once and delivered (the SMTP server is real, on loopback).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import make_url

from tests.faults import scale_out
from tests.faults.scale_out_checks import check_scale_out
from tests.faults.scale_out_processes import pgbouncer_binary
from tests.notifications.conftest import SmtpServer


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on loopback for the schedulers' deliveries."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def test_scale_out_behind_pgbouncer_loses_nothing_when_a_server_and_the_leader_are_killed(
    shared_app: Flask, db_url: str, is_postgres: bool, smtp_server: SmtpServer, tmp_path
):
    if not is_postgres:
        pytest.skip("PgBouncer pools PostgreSQL connections: runs in the PostgreSQL run")
    if pgbouncer_binary() is None:
        if os.environ.get("CI"):
            pytest.fail(
                "CI must run this test: apt-get install pgbouncer (scripts/ensure-pgbouncer.sh)"
            )
        pytest.skip("no pgbouncer binary (apt-get install pgbouncer)")
    assert make_url(db_url).host in {"127.0.0.1", "localhost"}
    run = scale_out.run(shared_app, db_url, smtp_server.port, tmp_path)
    received = [message.message_id for message in smtp_server.handler.messages]
    checked = check_scale_out(run, received)
    print("scale-out run:", run.figures, checked)
    assert run.done.created and run.done.transitions and run.done.comments and run.done.lookups
    assert checked["closed"] >= 1
