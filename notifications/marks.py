"""Insert 'already sent' marks under a unique key; only the rows actually inserted come back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement

from tracker.extensions import db


def insert_new_marks(
    model: type, rows: list[dict[str, Any]], returning: list[ColumnElement[Any]]
) -> list[tuple[Any, ...]]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING: a repeated or concurrent run inserts nothing.

    On PostgreSQL a concurrent transaction inserting the same key waits for the first to commit
    and then skips the row, so each key is claimed by exactly one run.
    """
    if not rows:
        return []
    if db.session.get_bind().dialect.name == "postgresql":
        return _insert_new_marks_postgres(model, rows, returning)
    statement = sqlite.insert(model).on_conflict_do_nothing().returning(*returning)
    return [tuple(row) for row in db.session.execute(statement, rows)]


def _insert_new_marks_postgres(
    model: type, rows: list[dict[str, Any]], returning: list[ColumnElement[Any]]
) -> list[tuple[Any, ...]]:
    """One short statement executed for every row in psycopg's pipeline: 5,000 marks in one
    round of messages. (The rows as one statement's VALUES, or SQLAlchemy's batched VALUES,
    cost a millisecond a row: compiling them, and psycopg parsing a statement of thousands of
    placeholders that is too long for its cache.)"""
    statement = (
        postgresql.insert(model)
        .values({name: bindparam(name) for name in rows[0]})
        .on_conflict_do_nothing()
        .returning(*returning)
    )
    compiled = statement.compile(dialect=db.session.get_bind().dialect)
    cursor = db.session.connection().connection.driver_connection.cursor()
    cursor.executemany(compiled.string, rows, returning=True)
    inserted: list[tuple[Any, ...]] = []
    while True:
        inserted.extend(tuple(row) for row in cursor.fetchall())
        if not cursor.nextset():
            return inserted
