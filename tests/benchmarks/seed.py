"""Fill the database with many cases at once for the list/search benchmark (raw, bulk)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Connection

from tests.benchmarks.raw_sql import CASE_COLUMNS, case_row, placeholders, run, value

SEED_YEAR = 2020
STATES = ("logged", "analysed", "referred", "responded", "closed")
PROVINCES = ("KH-12", "KH-2", "KH-3", "KH-17", "KH-24")
TEXT_EVERY = 7  # one case in seven mentions the word the text search looks for
SEARCH_WORD = "registration"


def categories(connection: Connection) -> list[str]:
    """The category codes the migrations installed."""
    return list(run(connection, "SELECT code FROM categories ORDER BY code").scalars())


def seed_cases(connection: Connection, total: int, officer_id: int) -> None:
    """Add varied cases of the seed year, each with its creation event, up to `total` cases."""
    with connection.begin():
        count = total - run(connection, "SELECT count(*) FROM cases").scalar_one()
        codes = categories(connection)
        insert_seed(connection, seed_rows(connection, count, codes, officer_id), count)


def seed_rows(connection: Connection, count: int, codes: list[str], officer_id: int) -> list:
    """The rows of the seed cases: states, categories, provinces and words varied."""
    start = datetime(SEED_YEAR, 1, 6, 2, 0, tzinfo=UTC)
    rows = []
    for number in range(1, count + 1):
        created = start + timedelta(hours=number)
        topic = SEARCH_WORD if number % TEXT_EVERY == 0 else "payments"
        fields = {
            "reference": f"GRV-{SEED_YEAR}-{number:05d}",
            "title": f"Concern {number} about {topic}",
            "description": f"Members of the forum report problems with {topic}.",
            "category": codes[number % len(codes)],
            "province": PROVINCES[number % len(PROVINCES)],
            "gender_focus": "all",
            "raised_by_name": "Sok Dara",
            "raised_by_email": "dara@example.org",
            "created_by_id": officer_id,
            "due_at": value(connection, created + timedelta(days=14)),
        }
        row = case_row(connection, fields, created)
        row["state"] = STATES[number % len(STATES)]
        rows.append(row)
    return rows


def insert_seed(connection: Connection, rows: list[dict], count: int) -> None:
    """Insert the cases, a creation event for each and the seed year's counter."""
    sql = f"INSERT INTO cases ({CASE_COLUMNS}) VALUES ({placeholders(CASE_COLUMNS)})"
    run(connection, sql, rows)
    run(
        connection,
        "INSERT INTO events (case_id, kind, to_state, actor_id, actor_label, note, data, "
        "public, at) SELECT id, 'created', 'logged', created_by_id, 'Bench', '', '{}', "
        ":public, created_at FROM cases WHERE reference LIKE :pattern",
        {"public": True, "pattern": f"GRV-{SEED_YEAR}-%"},
    )
    run(
        connection,
        "INSERT INTO reference_counters (year, last_number) VALUES (:year, :count)",
        {"year": SEED_YEAR, "count": count},
    )
    if connection.dialect.name == "postgresql":
        run(connection, "ANALYZE")
