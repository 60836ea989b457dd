"""Per-backend engine set-up: SQLite gets WAL, a busy timeout and enforced foreign keys."""

from __future__ import annotations

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from tracker.config import engine_options
from tracker.extensions import db
from tracker.read_replica import init_replica


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
    init_replica(app, engine_options)
    # Registered after Flask-SQLAlchemy's own teardown, so it runs before it.
    app.teardown_appcontext(release_session)


def release_session(_error: BaseException | None = None) -> None:
    """End the context's session even if the database went away meanwhile.

    Closing rolls back the open transaction; on a connection the server has just dropped that
    fails, and the failure would replace an answer already made (a 201, a 503) with a 500.
    The second try finds the connection invalidated and only cleans up.
    """
    for _ in range(2):
        try:
            db.session.remove()
            return
        except SQLAlchemyError as exc:
            current_app.logger.warning("Closing the session failed: %s", str(exc).splitlines()[0])
    db.session.registry.clear()


def render_migration_type(type_: str, obj, autogen_context):
    """Write our UTC type as a plain ``sa.DateTime(timezone=True)`` in migration scripts."""
    from tracker.models.base import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def include_in_migrations(obj, name, type_, reflected, compare_to) -> bool:
    """Leave out of schema comparisons the PostgreSQL-only indexes the models cannot declare."""
    from tracker.models.case import POSTGRES_ONLY_INDEXES

    return not (type_ == "index" and reflected and name in POSTGRES_ONLY_INDEXES)
