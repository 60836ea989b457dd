"""The scale benchmark's databases: one PostgreSQL database per size, built once and kept.

``tracker_scale_<N>`` holds N synthetic cases (``demo --bulk``'s generator, seed 1) owned by
and referred among 1,000 people: 700 officers, 200 agency focal points, 100 representatives.
A database that already holds N cases is reused as it is (a million takes minutes to build).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import create_engine, func, make_url, select, text

from tests.benchmarks.harness import migrated_app
from tracker.extensions import db
from tracker.models import Agency, Case, Organisation, User
from tracker.services.synthetic import add_synthetic_cases

SIZES = (10_000, 100_000, 1_000_000)
PEOPLE = {"officer": 700, "agency": 200, "representative": 100}
SEED = 1


def scale_url(size: int) -> str:
    """The URL of the database of this size (BENCH_POSTGRES_SERVER, else 127.0.0.1:5432)."""
    server = os.environ.get("BENCH_POSTGRES_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432")
    return f"{server}/tracker_scale_{size}"


def _ensure_database(url: str) -> None:
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        known = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        )
        if not known:
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


@contextmanager
def scale_app(size: int) -> Iterator[Flask]:
    """An app on the database of this size (created and migrated when missing)."""
    url = scale_url(size)
    _ensure_database(url)
    with migrated_app(url) as app:
        yield app


def _people() -> None:
    """The 1,000 people (no password: nobody logs in; the digest and lists act as them)."""
    if db.session.scalar(select(func.count()).select_from(User)) >= sum(PEOPLE.values()):
        return
    from tracker.services.demo import AGENCIES

    for code, name_en, name_km, days in AGENCIES:
        db.session.add(Agency(code=code, name_en=name_en, name_km=name_km, response_days=days,
                              contact_emails=[f"{code.lower()}@example.org"]))  # fmt: skip
    organisations = [Organisation(name=f"Union {n} (synthetic)", kind="union") for n in range(20)]
    db.session.add_all(organisations)
    db.session.flush()
    agencies = list(db.session.scalars(select(Agency.id)))
    for role, count in PEOPLE.items():
        for n in range(count):
            db.session.add(User(
                email=f"{role}{n}@bench.example.org", name=f"Bench {role} {n}", role=role,
                password_hash="!", active=True,
                agency_id=agencies[n % len(agencies)] if role == "agency" else None,
                organisation_id=organisations[n % 20].id if role == "representative" else None,
            ))  # fmt: skip
    db.session.commit()


def build(size: int) -> int:
    """Make the database of this size hold ``size`` cases; answer how many it holds."""
    with scale_app(size):
        _people()
        have = db.session.scalar(select(func.count()).select_from(Case))
        if have < size:
            add_synthetic_cases(size - have, seed=SEED + have)
        return db.session.scalar(select(func.count()).select_from(Case))


if __name__ == "__main__":
    import sys
    import time

    for wanted in [int(arg) for arg in sys.argv[1:]] or SIZES:
        started = time.perf_counter()
        print(
            f"{wanted}: {build(wanted)} cases ({time.perf_counter() - started:.0f} s)", flush=True
        )
