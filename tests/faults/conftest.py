"""Fault-test fixtures: a fresh SQLite file per test, and child processes writing cases to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from subprocess import Popen

import pytest
from flask import Flask
from flask_migrate import upgrade

from tests.conftest import TEST_PASSWORD, test_settings
from tests.faults.fault_support import OFFICER_EMAIL, start_writers
from tracker import create_app
from tracker.extensions import db
from tracker.models import Agency
from tracker.services.users import create_user


@pytest.fixture
def sqlite_file(tmp_path: Path, is_postgres: bool) -> Iterator[str]:
    """A migrated SQLite file of its own, with an officer and an agency; yields its URL."""
    if is_postgres:
        pytest.skip("SQLite-specific: file integrity, WAL and kill -9 of a writer on one file")
    url = f"sqlite:///{tmp_path / 'faults.sqlite3'}"
    app = create_app(test_settings(url))
    with app.app_context():
        upgrade()
        create_user(OFFICER_EMAIL, TEST_PASSWORD, "officer", name="Writer")
        db.session.add(Agency(code="NSSF", name_en="NSSF", name_km="NSSF", response_days=20))
        db.session.commit()
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
def writers(sqlite_file: str) -> Iterator[Callable[..., list[Popen]]]:
    """Start child writers on the test's file; any still running at the end are killed."""
    started: list[Popen] = []

    def start(mode: str, how_many: int = 1, count: int = 0) -> list[Popen]:
        children = start_writers(sqlite_file, mode, how_many, count)
        started.extend(children)
        return children

    yield start
    for child in started:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=10)
        for stream in (child.stdin, child.stdout, child.stderr):
            stream.close()
