"""READ_DATABASE_URL: reports and exports read from a real streaming replica, writes go to the
primary, and a replica that is down falls back to the primary (logged).

The replica is a second throwaway cluster made by ``pg_basebackup -R`` of the test's primary.
Proof of where a read came from: with WAL replay paused on the replica, a case logged on the
primary is missing from the report (and the export) until replay resumes.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text

from tests.conftest import CASE_FIELDS, TEST_PASSWORD, test_settings
from tests.faults.conftest import migrated_sqlite_file
from tests.faults.fault_support import OFFICER_EMAIL, login_form
from tests.faults.throwaway_postgres import ThrowawayPostgres
from tracker import create_app
from tracker.extensions import db
from tracker.models import Case
from tracker.read_replica import dispose_replica
from tracker.services.tokens import issue_token_for
from tracker.services.users import create_user

BODY = {key: CASE_FIELDS[key] for key in ("title", "description", "category")}
WAIT = 60.0  # seconds a replica on a loaded machine may take to replay


@pytest.fixture
def replica(postgres_cluster: ThrowawayPostgres) -> Iterator[ThrowawayPostgres]:
    """A running streaming standby of the throwaway primary."""
    standby = postgres_cluster.replica()
    try:
        standby.start()
        yield standby
    finally:
        standby.destroy()


def superuser(cluster: ThrowawayPostgres):
    """An autocommit engine on a cluster, for the test's own checks."""
    return create_engine(cluster.url, isolation_level="AUTOCOMMIT")


def build_app(primary: ThrowawayPostgres, standby: ThrowawayPostgres) -> tuple[Flask, str]:
    """An app writing to the primary and reading reports from the standby; an officer's token."""
    app = create_app(
        test_settings(
            primary.url,
            READ_DATABASE_URL=standby.url,
            READ_DATABASE_CONNECT_TIMEOUT=2,
            READ_DATABASE_RETRY_SECONDS=0,
        )
    )
    with app.app_context():
        upgrade()
        officer = create_user(OFFICER_EMAIL, TEST_PASSWORD, "officer", name="Reader")
        token = issue_token_for(officer).token
        db.session.remove()
    return app, token


class Recorded(logging.Handler):
    """The app's log lines. Not caplog: alembic's logging set-up in a migration replaces the
    root handlers and disables the loggers that exist then (``tracker`` among them)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []
        logger = logging.getLogger("tracker")
        logger.disabled = False
        logger.addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())

    def text(self) -> str:
        """Every line so far, and stop recording."""
        logging.getLogger("tracker").removeHandler(self)
        return "\n".join(self.lines)


def wait_until(condition, what: str) -> None:
    """Poll until the condition holds (the bound only decides when to give up)."""
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_reports_read_from_the_replica_writes_go_to_the_primary_and_a_dead_replica_is_skipped(
    postgres_cluster, replica
):
    app, token = build_app(postgres_cluster, replica)
    try:
        check_replica_reads(app, token, replica)
    finally:  # even after a failure: no connection left for the garbage collector to warn about
        with app.app_context():
            dispose_replica(app)
            db.engine.dispose()


def check_replica_reads(app: Flask, token: str, replica: ThrowawayPostgres) -> None:
    """Reads from the paused replica, writes to the primary, then the fallback."""
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    web = app.test_client()
    assert login_form(web, OFFICER_EMAIL, TEST_PASSWORD).status_code == 302
    standby = superuser(replica)

    def log_case(title: str) -> None:
        answer = api.post("/api/v1/cases", json={**BODY, "title": title}, headers=headers)
        assert answer.status_code == 201, answer.get_json()

    def reported() -> int:
        answer = api.get("/api/v1/reports/summary?by=category", headers=headers)
        assert answer.status_code == 200, answer.get_json()
        return answer.get_json()["total"]

    def exported() -> int:
        answer = web.get("/cases/export.csv")
        assert answer.status_code == 200
        return len(answer.get_data(as_text=True).strip().splitlines()) - 1  # less the header

    def on_primary() -> int:
        with app.app_context():
            count = db.session.scalar(select(func.count()).select_from(Case))
            db.session.remove()
        return count

    with standby.connect() as connection:
        assert connection.execute(text("SELECT pg_is_in_recovery()")).scalar() is True
    log_case("Replayed before the pause")
    log_case("Replayed before the pause, too")
    wait_until(lambda: reported() == 2, "the replica to replay two cases")

    with standby.connect() as connection:
        connection.execute(text("SELECT pg_wal_replay_pause()"))
    log_case("Logged while the replica is paused")  # a write: the primary took it
    assert on_primary() == 3
    assert reported() == 2  # the report read the paused replica
    assert exported() == 2  # and so did the export
    assert web.get("/reports").status_code == 200
    with standby.connect() as connection:
        readers = connection.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = 'postgres' AND pid <> pg_backend_pid()"
            )
        ).scalar()
        assert readers >= 1  # the app's pooled connections sit on the replica
        connection.execute(text("SELECT pg_wal_replay_resume()"))
    wait_until(lambda: reported() == 3, "the replica to catch up after the pause")
    assert exported() == 3
    standby.dispose()

    replica.stop()
    recorded = Recorded()
    log_case("Logged while the replica is down")
    assert reported() == 4  # read from the primary instead
    assert exported() == 4
    assert "Read replica unreachable" in recorded.text()


def test_sqlite_reports_read_the_replica_file_and_fall_back_when_it_cannot_open(
    tmp_path, is_postgres
):
    """The chooser itself, on SQLite: a snapshot file stands in for a replica that is behind."""
    if is_postgres:
        pytest.skip("the PostgreSQL run builds a real streaming replica (test above)")
    primary = migrated_sqlite_file(tmp_path / "primary.sqlite3")
    snapshot = tmp_path / "replica.sqlite3"
    settings = {"READ_DATABASE_URL": f"sqlite:///{snapshot}", "READ_DATABASE_RETRY_SECONDS": 0}
    app = create_app(test_settings(primary, **settings))
    with app.app_context():
        officer = create_user(OFFICER_EMAIL, TEST_PASSWORD, "officer", name="Reader")
        headers = {"Authorization": f"Bearer {issue_token_for(officer).token}"}
        db.session.remove()
    api = app.test_client()
    assert api.post("/api/v1/cases", json=BODY, headers=headers).status_code == 201
    with (
        sqlite3.connect(primary.removeprefix("sqlite:///")) as source,
        sqlite3.connect(snapshot) as target,
    ):
        source.backup(target)
    assert api.post("/api/v1/cases", json=BODY, headers=headers).status_code == 201

    def total(path: str) -> int:
        answer = api.get(path, headers=headers)
        assert answer.status_code == 200, answer.get_json()
        return answer.get_json()["total"]

    assert total("/api/v1/reports/summary?by=state") == 1  # the report: the snapshot
    assert total("/api/v1/cases") == 2  # the list: the primary
    assert total("/api/v1/reports/summary?by=state") == 1  # a write in between changed nothing
    with app.app_context():
        dispose_replica(app)

    gone = {**settings, "READ_DATABASE_URL": f"sqlite:///{tmp_path / 'no' / 'such.sqlite3'}"}
    fallback = create_app(test_settings(primary, **gone))
    recorded = Recorded()
    answer = fallback.test_client().get("/api/v1/reports/summary?by=state", headers=headers)
    assert answer.get_json()["total"] == 2
    assert "Read replica unreachable" in recorded.text()
