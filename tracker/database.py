"""Per-backend engine set-up: SQLite gets WAL, a busy timeout and enforced foreign keys."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tracker.extensions import db


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def configure_engine(app: Flask) -> None:
    """Attach connection settings to the app's engine before its first connection."""
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)


def render_migration_type(type_: str, obj, autogen_context):
    """Write our UTC type as a plain ``sa.DateTime(timezone=True)`` in migration scripts."""
    from tracker.models.base import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
