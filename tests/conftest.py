"""Shared fixtures: an app on a real database (SQLite or PostgreSQL), data made through services.

The database is chosen by ``TEST_DATABASE_URL`` (a PostgreSQL URL runs the suite on PostgreSQL);
by default each run uses a fresh SQLite file. The schema is built by the real migrations.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text

from tracker import create_app
from tracker.config import normalise_database_url
from tracker.extensions import db
from tracker.models import Agency, Forum, Organisation, User

KEEP_TABLES = {"alembic_version"}
# The categories as the migrations seeded them, put back after every test (tests edit them).
SEEDED_CATEGORIES: list[dict] = []
TEST_PASSWORD = "correct horse battery"


def database_url(tmp_dir: Path) -> str:
    """The database this run uses: TEST_DATABASE_URL, or a fresh SQLite file.

    A PostgreSQL test database is dropped and created afresh; under pytest-xdist each worker
    gets one of its own (``<name>_<worker>``).
    """
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_dir / 'tracker-test.sqlite3'}"
    url = normalise_database_url(url)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        base = make_url(url)
        url = base.set(database=f"{base.database}_{worker}").render_as_string(hide_password=False)
    create_postgres_database(url)
    return url


def create_postgres_database(url: str) -> None:
    """(Re)create the database named in the URL, connecting to the server's ``postgres`` db."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def test_settings(url: str, **extra) -> dict:
    """Settings every test app uses; tests pass their own extras."""
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "MAIL_SERVER": "",
        "MAIL_ENABLED": False,
        "TELEGRAM_BOT_TOKEN": "",
        "TELEGRAM_BOT_USERNAME": "",
        "TELEGRAM_WEBHOOK_SECRET": "",
        "SMS_GATEWAY_URL": "",
        "BASE_URL": "http://tracker.test",
        "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": True,
        "PASSWORD_HASH_PROFILE": "cheapest",  # tests/services/test_users.py checks production
        # Each app its own upload folder: parallel workers must not see each other's files.
        "IMPORT_UPLOAD_FOLDER": tempfile.mkdtemp(prefix="tracker-uploads-"),
        **extra,
    }


test_settings.__test__ = False  # a helper, not a test


@pytest.fixture(scope="session")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Build the schema once per run with the real migrations."""
    url = database_url(tmp_path_factory.mktemp("db"))
    app = create_app(test_settings(url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            categories = db.metadata.tables["categories"]
            SEEDED_CATEGORIES[:] = [
                dict(r._mapping) for r in connection.execute(categories.select())
            ]
        db.engine.dispose()
    return url


@pytest.fixture
def is_postgres(db_url: str) -> bool:
    """True when this run is on PostgreSQL."""
    return db_url.startswith("postgresql")


@pytest.fixture
def app(db_url: str) -> Iterator[Flask]:
    """A fresh app on the shared schema; every row a test wrote is deleted afterwards."""
    app = create_app(test_settings(db_url))
    with app.app_context():
        yield app
        db.session.remove()
        wipe_data()
        db.engine.dispose()


def wipe_data() -> None:
    """Delete every row, children first, and put the seeded categories back."""
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in KEEP_TABLES:
                connection.execute(table.delete())
        connection.execute(db.metadata.tables["categories"].insert(), SEEDED_CATEGORIES)


@pytest.fixture
def client(app: Flask):
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    """A CLI runner of the app."""
    return app.test_cli_runner()


@pytest.fixture
def now() -> datetime:
    """A fixed 'now' for tests that pass a clock: Wednesday 4 March 2026, 09:00 UTC."""
    return datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def agency(app: Flask) -> Agency:
    """The NSSF as an agency, 20 working days to answer."""
    agency = Agency(
        code="NSSF",
        name_en="National Social Security Fund",
        name_km="បេឡាជាតិ",
        contact_emails=["referrals@nssf.example.org"],
        response_days=20,
    )
    db.session.add(agency)
    db.session.commit()
    return agency


@pytest.fixture
def other_agency(app: Flask) -> Agency:
    """The Ministry of Health, 15 working days to answer."""
    agency = Agency(
        code="MOH",
        name_en="Ministry of Health",
        name_km="ក្រសួងសុខាភិបាល",
        contact_emails=["focal@moh.example.org"],
        response_days=15,
    )
    db.session.add(agency)
    db.session.commit()
    return agency


@pytest.fixture
def organisation(app: Flask) -> Organisation:
    """A garment workers' union."""
    organisation = Organisation(name="Garment Workers Union", kind="union")
    db.session.add(organisation)
    db.session.commit()
    return organisation


@pytest.fixture
def other_organisation(app: Flask) -> Organisation:
    """An Indigenous community network."""
    organisation = Organisation(name="Indigenous Network", kind="community")
    db.session.add(organisation)
    db.session.commit()
    return organisation


@pytest.fixture
def forum(app: Flask) -> Forum:
    """The first annual forum, Phnom Penh, 18 December 2023."""
    from datetime import date

    forum = Forum(
        title="Annual forum 2023",
        kind="annual",
        date=date(2023, 12, 18),
        province="KH-12",
        venue="Phnom Penh",
    )
    db.session.add(forum)
    db.session.commit()
    return forum


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """Create users through the service (hashed passwords, validation)."""
    from tracker.services.users import create_user

    counter = iter(range(1, 10_000))

    def make(role: str, **fields) -> User:
        number = next(counter)
        fields.setdefault("email", f"{role}{number}@example.org")
        fields.setdefault("name", f"{role.title()} {number}")
        return create_user(password=fields.pop("password", TEST_PASSWORD), role=role, **fields)

    return make


@pytest.fixture
def officer(make_user) -> User:
    """A case officer."""
    return make_user("officer")


@pytest.fixture
def admin(make_user) -> User:
    """An admin."""
    return make_user("admin")


@pytest.fixture
def agency_user(make_user, agency: Agency) -> User:
    """The NSSF focal point."""
    return make_user("agency", agency_id=agency.id)


@pytest.fixture
def representative(make_user, organisation: Organisation) -> User:
    """A representative of the garment workers' union."""
    return make_user("representative", organisation_id=organisation.id)


CASE_FIELDS = {
    "title": "Contributions not registered",
    "description": "Workers find they are not registered when they need care.",
    "category": "contributions",
    "province": "KH-12",
    "gender_focus": "all",
    "raised_by_name": "Sok Dara",
    "raised_by_email": "dara@example.org",
}


@pytest.fixture
def make_case(app: Flask, officer: User):
    """Log a case through the service; returns the LoggedCase (case + access code)."""
    from tracker.services.cases import log_case

    def make(actor: User | None = None, now: datetime | None = None, **fields):
        return log_case(actor or officer, {**CASE_FIELDS, **fields}, now=now)

    return make
