"""Test helpers shared across test folders: complete trigger data and paths to each state."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

STATES = ("logged", "analysed", "referred", "responded", "closed", "on_hold")
TRIGGERS = ("analyse", "refer", "respond", "close", "reopen", "hold", "resume", "merge")  # in order
OPEN_STATES = ("logged", "analysed", "referred", "responded")
# Where a resume leads: back to the state the case was held in (see next_state).
HELD = "<the state it was held in>"

# (state, trigger) -> new state: the workflow table of PRODUCT.md (and its "Waiting" section),
# written out independently of the engine's definition; every other pair is refused.
CASE_TABLE = {
    ("logged", "analyse"): "analysed",
    ("analysed", "refer"): "referred",
    ("responded", "refer"): "referred",
    ("referred", "respond"): "responded",
    ("analysed", "close"): "closed",
    ("responded", "close"): "closed",
    ("closed", "reopen"): "analysed",
    ("logged", "hold"): "on_hold",
    ("analysed", "hold"): "on_hold",
    ("referred", "hold"): "on_hold",
    ("responded", "hold"): "on_hold",
    ("on_hold", "resume"): HELD,
    # A duplicate merged into another case closes, from any open state (held included).
    **{(state, "merge"): "closed" for state in (*OPEN_STATES, "on_hold")},
}
# Who may fire each trigger (PRODUCT.md); an agency only on its own open referral.
MAY_FIRE = {
    "analyse": {"officer", "admin"},
    "refer": {"officer", "admin"},
    "respond": {"officer", "admin", "agency"},
    "close": {"officer", "admin"},
    "reopen": {"officer", "admin"},
    "hold": {"officer", "admin", "agency"},
    "resume": {"officer", "admin"},
    "merge": {"officer", "admin"},
}


def next_state(state: str, trigger: str, held: str | None = None) -> str | None:
    """The state the table gives (None: refused); a resume returns to `held`."""
    target = CASE_TABLE.get((state, trigger))
    return held if target == HELD else target


# The data each trigger needs, given the officer's id and the agency's id (and, for a merge, the
# reference of the open case it merges into).
def trigger_data(trigger: str, owner_id: int, agency_id: int, into: str = "") -> dict:
    """Complete, valid data for a trigger."""
    return {
        "analyse": {"owner_id": owner_id, "note": "Analysed against the forum notes."},
        "refer": {"agency_id": agency_id, "note": "Please answer within your deadline."},
        "respond": {"response": "We are simplifying the registration process."},
        "close": {"outcome": "resolved", "resolution": "Reported back at the forum."},
        "reopen": {"reason": "The workers report the problem again."},
        "hold": {"reason": "Waiting for the workers' payslips.", "waiting_for": "raiser"},
        "resume": {"note": "The payslips came."},
        "merge": {"into": into, "note": "The same concern as the other case."},
    }[trigger]


# How to reach each state from logged, as a path of triggers.
PATHS = {
    "logged": [],
    "analysed": ["analyse"],
    "referred": ["analyse", "refer"],
    "responded": ["analyse", "refer", "respond"],
    "closed": ["analyse", "close"],
    "on_hold": ["hold"],  # held while logged
}


def run_together(count: int, work: Callable[[int], object], app=None) -> list[object]:
    """Run work(index) in `count` threads released at once; return each result or exception.

    With an app, each thread runs in an app context of its own (its own database session).
    """
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def target(index: int) -> None:
        try:
            if app is None:
                barrier.wait()
                results[index] = work(index)
                return
            with app.app_context():
                from tracker.extensions import db

                barrier.wait()
                try:
                    results[index] = work(index)
                finally:
                    db.session.remove()
        except Exception as exc:  # handed to the caller, which asserts on it
            results[index] = exc

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    """Record every SQL statement the app's engine sends meanwhile (for N+1 checks)."""
    from sqlalchemy import event

    from tracker.extensions import db

    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


IMPORT_HEADER = ["title", "description", "category", "gender_focus", "raised_by_name"]


def concern_rows(count: int, start: int = 0) -> list[list[str]]:
    """Rows of distinct, valid concerns for an import file (numbered from ``start``)."""
    return [
        [
            f"Concern {n}",
            f"Workers at factory {n} are not registered.",
            "contributions",
            "all",
            f"Raiser {n}",
        ]
        for n in range(start, start + count)
    ]


def csv_bytes(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    """A CSV file (UTF-8) of a header and rows."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header or IMPORT_HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def leader_pid() -> int | None:
    """The pid of the scheduler process holding an unexpired lease, read afresh."""
    from datetime import UTC, datetime

    from sqlalchemy import select

    from notifications.models import SchedulerLease
    from tracker.extensions import db

    db.session.expire_all()
    lease = db.session.scalar(select(SchedulerLease))
    db.session.rollback()
    if lease is None or not lease.holder or lease.expires_at < datetime.now(UTC):
        return None
    return int(lease.holder.split(":")[1])
