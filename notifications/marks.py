"""Insert 'already sent' marks under a unique key; only the rows actually inserted come back."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement

from tracker.extensions import db

CHUNK = 1000


def insert_new_marks(
    model: type, rows: list[dict[str, Any]], returning: list[ColumnElement[Any]]
) -> list[tuple[Any, ...]]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING: a repeated or concurrent run inserts nothing.

    On PostgreSQL a concurrent transaction inserting the same key waits for the first to commit
    and then skips the row, so each key is claimed by exactly one run.
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    inserted: list[tuple[Any, ...]] = []
    for start in range(0, len(rows), CHUNK):
        statement = (
            insert(model)
            .values(rows[start : start + CHUNK])
            .on_conflict_do_nothing()
            .returning(*returning)
        )
        inserted.extend(tuple(row) for row in db.session.execute(statement))
    return inserted
