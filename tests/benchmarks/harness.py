"""Benchmark plumbing: fresh databases, the app on them, timers and memory meters."""

from __future__ import annotations

import gc
import os
import socket
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import make_url

from tests.conftest import TEST_PASSWORD, create_postgres_database, test_settings
from tracker import create_app
from tracker.config import normalise_database_url
from tracker.extensions import db
from tracker.models import Agency, User
from tracker.services.users import create_user

LOCAL_POSTGRES = ("127.0.0.1", 5432)
DEFAULT_POSTGRES_DB = "tracker_bench"
BATCHES = 5


@dataclass
class Timing:
    """How long n operations took (in equal batches), and the baseline they are compared with."""

    operation: str
    n: int
    batches: list[float]
    baseline: Timing | None = None

    @property
    def seconds(self) -> float:
        """The time of all n operations."""
        return sum(self.batches)

    @property
    def per_op(self) -> float:
        """Seconds per operation in the median batch: steadier when other jobs share the CPUs."""
        return statistics.median(self.batches) / (self.n / len(self.batches))

    @property
    def ratio(self) -> float | None:
        """Time per operation relative to the baseline's."""
        return self.per_op / self.baseline.per_op if self.baseline else None


@dataclass
class Memory:
    """Bytes allocated by n operations (peak, and still held at the end) against a baseline."""

    operation: str
    n: int
    peak: int
    retained: int
    baseline: Memory | None = None

    @property
    def ratio(self) -> float | None:
        """Peak relative to the baseline's peak."""
        return self.peak / self.baseline.peak if self.baseline and self.baseline.peak else None


def timed(operation: str, n: int, work: Callable[[int], object], warmup: int = 5) -> Timing:
    """Run work(i) for i in range(n), in BATCHES timed batches after a few warm-up calls."""
    for i in range(warmup):
        work(n + i)
    size = n // BATCHES
    batches = []
    for batch in range(BATCHES):
        start = time.perf_counter()
        for i in range(batch * size, (batch + 1) * size):
            work(i)
        batches.append(time.perf_counter() - start)
    return Timing(operation, size * BATCHES, batches)


def traced(operation: str, n: int, run: Callable[[], object]) -> Memory:
    """Run `run()` under tracemalloc; what it returns is kept alive until measured."""
    gc.collect()
    tracemalloc.start()
    try:
        start, _ = tracemalloc.get_traced_memory()
        kept = run()
        gc.collect()
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del kept
    return Memory(operation, n, peak - start, current - start)


def each(work: Callable[[int], object], n: int) -> Callable[[], None]:
    """A run of work(0) … work(n-1), keeping nothing."""

    def run() -> None:
        for i in range(n):
            work(i)

    return run


def postgres_url(given: str | None) -> str | None:
    """The PostgreSQL URL to use: the one given, BENCH_POSTGRES_URL, or a reachable local one."""
    url = given or os.environ.get("BENCH_POSTGRES_URL")
    if url:
        return normalise_database_url(url)
    try:
        socket.create_connection(LOCAL_POSTGRES, timeout=0.5).close()
    except OSError:
        return None
    name = os.environ.get("BENCH_POSTGRES_DB", DEFAULT_POSTGRES_DB)
    host, port = LOCAL_POSTGRES
    return f"postgresql+psycopg://{os.environ.get('PGUSER', 'postgres')}@{host}:{port}/{name}"


def shown(url: str) -> str:
    """The URL without its password, for the report."""
    return make_url(url).render_as_string(hide_password=True)


@contextmanager
def fresh_app(url: str | None) -> Iterator[Flask]:
    """An app on a freshly migrated database: the PostgreSQL URL given (recreated) or SQLite."""
    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as folder:
        if url is None:
            url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        else:
            create_postgres_database(url)
        with migrated_app(url) as app:
            yield app


@contextmanager
def migrated_app(url: str) -> Iterator[Flask]:
    """An app on the database at ``url``, migrated to the head, inside its app context."""
    app = create_app(test_settings(url))
    with app.app_context():
        upgrade()
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


@dataclass(frozen=True)
class Actors:
    """The people and the agency the benchmarks act with."""

    officer_id: int
    agency_id: int

    def officer(self) -> User:
        """The officer, loaded in the current session."""
        return db.session.get(User, self.officer_id)


def seed_actors() -> Actors:
    """Create an officer and an agency through the services and models."""
    officer = create_user("bench.officer@example.org", TEST_PASSWORD, "officer", name="Bench")
    agency = Agency(code="NSSF", name_en="NSSF", name_km="NSSF", response_days=20)
    db.session.add(agency)
    db.session.commit()
    return Actors(officer.id, agency.id)
