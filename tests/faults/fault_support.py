"""Fault-test helpers: child writers and the invariants every fault test ends by checking."""

from __future__ import annotations

import re
import socket
import sys
from pathlib import Path
from subprocess import PIPE, Popen

from sqlalchemy import func, select

from notifications.models import OutboxMessage
from tests.support import CASE_TABLE
from tracker.extensions import db
from tracker.models import Case, Event, IdempotencyKey, ReferenceCounter

WRITER = Path(__file__).with_name("case_writer.py")
ROOT = Path(__file__).resolve().parents[2]
OFFICER_EMAIL = "writer@example.org"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF.search(html)
    assert match, f"no CSRF token in {html[:300]!r}"
    return match.group(1)


def login_form(client, email: str, password: str):
    """Send the web login form through a Flask test client, as a browser would."""
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"csrf_token": token, "email": email, "password": password})


def start_writers(url: str, mode: str, how_many: int = 1, count: int = 0) -> list[Popen]:
    """Start children writing cases; return once every one has opened the app and is ready."""
    children = [
        Popen(
            [sys.executable, str(WRITER), url, OFFICER_EMAIL, mode, str(count)],
            cwd=ROOT,
            stdin=PIPE,
            stdout=PIPE,
            stderr=PIPE,
            text=True,
        )
        for _ in range(how_many)
    ]
    for child in children:
        line = child.stdout.readline().strip()
        if line != "ready":
            for other in children:
                other.kill()
                other.wait()
            raise RuntimeError(f"writer did not start: {line!r} {child.stderr.read()[-2000:]}")
    return children


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on just now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop_children(children: list[Popen]) -> None:
    """Kill every child still running and close its pipes."""
    for child in children:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=10)
        for stream in (child.stdin, child.stdout, child.stderr):
            if stream is not None:
                stream.close()


def go(child: Popen) -> None:
    """Release a ready child."""
    child.stdin.write("go\n")
    child.stdin.flush()


def read_line(child: Popen) -> str:
    """The child's next line; a child that stopped fails the test with its stderr."""
    line = child.stdout.readline()
    if not line:
        child.wait(timeout=10)
        raise AssertionError(f"writer stopped ({child.returncode}): {child.stderr.read()[-2000:]}")
    return line


def sqlite_pragma(name: str) -> list[tuple]:
    """Read a PRAGMA's rows on a connection of the app's engine."""
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql(f"PRAGMA {name}")]


def check_invariants() -> list[Case]:
    """Assert the "nothing lost" invariants on the app's database; return the cases.

    SQLite: the file is intact. Every case has exactly one creation event, first; replaying a
    case's transitions gives its state; references are numbered 1..n without gaps and the
    counter issued exactly n (a reference is only taken in the transaction that stores its
    case); a case raised by someone with an email has its acknowledgement queued; every stored
    Idempotency-Key answer names a case that exists.
    """
    if db.engine.dialect.name == "sqlite":
        assert sqlite_pragma("integrity_check") == [("ok",)]
        assert sqlite_pragma("foreign_key_check") == []
    db.session.expire_all()
    cases = db.session.scalars(select(Case).order_by(Case.reference)).all()
    events = db.session.scalars(select(Event).order_by(Event.id)).all()
    by_case: dict[int, list[Event]] = {case.id: [] for case in cases}
    for event in events:
        by_case[event.case_id].append(event)
    for case in cases:
        assert replayed_state(by_case[case.id]) == case.state, case.reference
    numbers = [int(case.reference.rsplit("-", 1)[1]) for case in cases]
    assert numbers == list(range(1, len(cases) + 1))
    issued = db.session.scalar(select(func.coalesce(func.sum(ReferenceCounter.last_number), 0)))
    assert issued == len(cases)
    check_acknowledgements_queued(cases)
    check_idempotency_keys(cases)
    return list(cases)


def check_acknowledgements_queued(cases: list[Case]) -> None:
    """One 'case_logged' outbox row per case that has the raiser's email."""
    queued = db.session.scalars(
        select(OutboxMessage.case_id).where(OutboxMessage.template == "case_logged")
    ).all()
    expected = sorted(case.id for case in cases if case.raised_by_email)
    assert sorted(queued) == expected


def check_idempotency_keys(cases: list[Case]) -> None:
    """Every remembered answer is the answer of a case that was stored (no orphan keys)."""
    references = {case.reference for case in cases}
    answers = db.session.scalars(select(IdempotencyKey.response_body)).all()
    assert {answer["reference"] for answer in answers} <= references


def replayed_state(events: list[Event]) -> str:
    """Walk a case's events: one creation event first, then transitions forming a valid path."""
    kinds = [event.kind for event in events]
    assert kinds.count("created") == 1 and kinds[0] == "created", kinds
    state = events[0].to_state
    for event in events[1:]:
        if event.kind == "transition":
            assert event.from_state == state, (event.trigger, event.from_state, state)
            assert CASE_TABLE[(state, event.trigger)] == event.to_state
            state = event.to_state
    return state
