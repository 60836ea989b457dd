"""The raw-SQL baseline: the same rows the services write and read, through exec_driver_sql.

No ORM, no validation, no access checks, no workflow engine: the floor the services are
compared with. SQL is written with ``:name`` parameters and rewritten for the driver's style.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

CASE_COLUMNS = (
    "reference, access_code_hash, workflow, title, description, category, raised_by_name, "
    "raised_by_email, raised_by_phone, gender_focus, province, priority, language, "
    "created_by_id, state, state_entered_at, due_at, resolution, illustrative, created_at, "
    "updated_at, version"
)
EVENT_COLUMNS = (
    "case_id, kind, trigger, from_state, to_state, actor_id, actor_label, note, data, public, at"
)
PAGE_ORDER = "ORDER BY created_at DESC NULLS LAST, id DESC LIMIT :limit OFFSET :offset"


def placeholders(columns: str) -> str:
    """``:a, :b`` for the column list ``a, b``."""
    return ", ".join(f":{name.strip()}" for name in columns.split(","))


def run(connection: Connection, sql: str, params: Any = None):
    """Execute SQL written with ``:name`` parameters, in the driver's own parameter style."""
    if connection.dialect.paramstyle == "pyformat":
        sql = re.sub(r":(\w+)", r"%(\1)s", sql)
    return connection.exec_driver_sql(sql, params if params is not None else {})


def value(connection: Connection, moment: datetime | None) -> Any:
    """A UTC datetime as the column stores it: naive text on SQLite, aware on PostgreSQL."""
    if moment is None or connection.dialect.name != "sqlite":
        return moment
    return moment.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def case_row(connection: Connection, fields: Mapping[str, Any], when: datetime) -> dict:
    """The parameters of one case row in state 'logged'."""
    code = secrets.token_hex(6)
    return {
        "access_code_hash": hashlib.sha256(code.encode()).hexdigest(),
        "workflow": "case",
        "raised_by_phone": "",
        "priority": "normal",
        "language": "en",
        "state": "logged",
        "resolution": "",
        "illustrative": False,
        "version": 1,
        "state_entered_at": value(connection, when),
        "created_at": value(connection, when),
        "updated_at": value(connection, when),
        **fields,
    }


def insert_case(connection: Connection, row: Mapping[str, Any]) -> int:
    """Insert one case row; return its id."""
    sql = f"INSERT INTO cases ({CASE_COLUMNS}) VALUES ({placeholders(CASE_COLUMNS)}) RETURNING id"
    return run(connection, sql, dict(row)).scalar_one()


def event_row(connection: Connection, case_id: int, kind: str, when: datetime, **fields) -> dict:
    """The parameters of one event row."""
    row = {"trigger": None, "from_state": None, "to_state": None, "note": "", "public": False}
    row.update(case_id=case_id, kind=kind, at=value(connection, when), **fields)
    row["data"] = json.dumps(row.get("data", {}))
    return row


def insert_events(connection: Connection, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert event rows (one statement, executemany when there are several)."""
    sql = f"INSERT INTO events ({EVENT_COLUMNS}) VALUES ({placeholders(EVENT_COLUMNS)})"
    rows = [dict(row) for row in rows]
    run(connection, sql, rows if len(rows) > 1 else rows[0])


def next_number(connection: Connection, year: int) -> int:
    """Take the next reference number of the year, as the service does."""
    run(
        connection,
        "INSERT INTO reference_counters (year, last_number) VALUES (:year, 0) "
        "ON CONFLICT (year) DO NOTHING",
        {"year": year},
    )
    return run(
        connection,
        "UPDATE reference_counters SET last_number = last_number + 1 WHERE year = :year "
        "RETURNING last_number",
        {"year": year},
    ).scalar_one()


def log_case_raw(
    connection: Connection, fields: Mapping[str, Any], actor: tuple[int, str], when: datetime
) -> str:
    """Counter update, case row and creation event in one transaction; return the reference."""
    actor_id, actor_label = actor
    with connection.begin():
        reference = f"GRV-{when.year}-{next_number(connection, when.year):05d}"
        row = case_row(
            connection, {**fields, "reference": reference, "created_by_id": actor_id}, when
        )
        case_id = insert_case(connection, row)
        event = event_row(
            connection, case_id, "created", when, to_state="logged", public=True,
            actor_id=actor_id, actor_label=actor_label,
        )  # fmt: skip
        insert_events(connection, [event])
    return reference


def analyse_raw(
    connection: Connection, reference: str, owner: tuple[int, str], when: datetime, due: datetime
) -> None:
    """Fire 'analyse' by hand: read the case, UPDATE it, INSERT the assignment and transition."""
    owner_id, label = owner
    with connection.begin():
        case_id, version = run(
            connection, "SELECT id, version FROM cases WHERE reference = :ref", {"ref": reference}
        ).one()
        updated = run(
            connection,
            "UPDATE cases SET state = 'analysed', owner_id = :owner, state_entered_at = :now, "
            "updated_at = :now, due_at = :due, version = version + 1 "
            "WHERE id = :id AND version = :version AND state = 'logged'",
            {"owner": owner_id, "now": value(connection, when), "due": value(connection, due),
             "id": case_id, "version": version},
        )  # fmt: skip
        if updated.rowcount != 1:
            raise RuntimeError(f"{reference} was not in state logged")
        common = {"actor_id": owner_id, "actor_label": label}
        insert_events(connection, [
            event_row(connection, case_id, "assigned", when, note=label,
                      data={"from": None, "to": owner_id}, **common),
            event_row(connection, case_id, "transition", when, trigger="analyse",
                      from_state="logged", to_state="analysed", public=True,
                      note="Analysed.", data={"owner_id": owner_id}, **common),
        ])  # fmt: skip


def search_raw(connection: Connection, where: str, params: Mapping[str, Any], page: int) -> tuple:
    """One page of cases (every column) and the total, as two plain SELECTs."""
    with connection.begin():
        total = run(connection, f"SELECT count(*) FROM cases WHERE {where}", dict(params))
        total = total.scalar_one()
        rows = run(
            connection,
            f"SELECT * FROM cases WHERE {where} {PAGE_ORDER}",
            {**params, "limit": 25, "offset": (page - 1) * 25},
        ).all()
    return rows, total
