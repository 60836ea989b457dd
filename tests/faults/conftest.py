"""Fault-test fixtures: databases child processes share, child writers and child servers."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from subprocess import Popen

import pytest
from flask import Flask
from flask_migrate import upgrade

from tests.conftest import TEST_PASSWORD, test_settings, wipe_data
from tests.faults.fault_servers import Servers
from tests.faults.fault_support import OFFICER_EMAIL, start_writers, stop_children
from tests.faults.throwaway_postgres import ThrowawayPostgres, postgres_bin
from tracker import create_app
from tracker.extensions import db
from tracker.models import Agency
from tracker.services.users import create_user


def migrated_sqlite_file(path: Path) -> str:
    """Build a SQLite file with the real migrations; return its URL."""
    url = f"sqlite:///{path}"
    app = create_app(test_settings(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def seed_writer_data() -> None:
    """The officer the children act as, and an agency to refer to."""
    create_user(OFFICER_EMAIL, TEST_PASSWORD, "officer", name="Writer")
    db.session.add(Agency(code="NSSF", name_en="NSSF", name_km="NSSF", response_days=20))
    db.session.commit()


@pytest.fixture
def sqlite_file(tmp_path: Path, is_postgres: bool) -> Iterator[str]:
    """A migrated SQLite file of its own, with an officer and an agency; yields its URL."""
    if is_postgres:
        pytest.skip("SQLite-specific: file integrity, WAL and kill -9 of a writer on one file")
    url = migrated_sqlite_file(tmp_path / "faults.sqlite3")
    app = create_app(test_settings(url))
    with app.app_context():
        seed_writer_data()
        db.session.remove()
        db.engine.dispose()
    yield url


@pytest.fixture
def sqlite_app(sqlite_file: str) -> Iterator[Flask]:
    """An app on the test's own SQLite file, for checking what the children left."""
    app = create_app(test_settings(sqlite_file))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def shared_app(db_url: str, tmp_path: Path) -> Iterator[Flask]:
    """An app on a database child servers share: a SQLite file of its own, or the PostgreSQL
    test database (wiped afterwards). The writer officer and an agency exist."""
    postgres = db_url.startswith("postgresql")
    url = db_url if postgres else migrated_sqlite_file(tmp_path / "shared.sqlite3")
    app = create_app(test_settings(url))
    with app.app_context():
        seed_writer_data()
        yield app
        db.session.remove()
        if postgres:
            wipe_data()
        db.engine.dispose()


@pytest.fixture
def postgres_cluster(is_postgres: bool) -> Iterator[ThrowawayPostgres]:
    """A running throwaway cluster (in the PostgreSQL run only)."""
    if not is_postgres:
        pytest.skip("runs in the PostgreSQL run, on a throwaway cluster")
    bin_dir = postgres_bin()
    if bin_dir is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run this test but no PostgreSQL server binaries were found")
        pytest.skip("no /usr/lib/postgresql/*/bin/initdb to make a throwaway cluster")
    cluster = ThrowawayPostgres(bin_dir)
    try:
        cluster.create()
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def writers(sqlite_file: str) -> Iterator[Callable[..., list[Popen]]]:
    """Start child writers on the test's file; any still running at the end are killed."""
    started: list[Popen] = []

    def start(mode: str, how_many: int = 1, count: int = 0) -> list[Popen]:
        children = start_writers(sqlite_file, mode, how_many, count)
        started.extend(children)
        return children

    yield start
    stop_children(started)


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[Servers]:
    """Start child HTTP servers of the app; any still running at the end are killed."""
    pool = Servers(tmp_path)
    yield pool
    stop_children(pool.spawned)
