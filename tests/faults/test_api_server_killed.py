"""QUALITY fault 1: the server is killed (SIGKILL) while handling POST /api/v1/cases.

The client gets no answer, retries with the same Idempotency-Key against a restarted server, and
in the end exactly one case exists, whichever side of the commit the kill fell on.
"""

from __future__ import annotations

import http.client
import json

import pytest
from sqlalchemy import func, select

from tests.conftest import CASE_FIELDS
from tests.faults.fault_servers import send
from tests.faults.fault_support import OFFICER_EMAIL, check_invariants
from tracker.extensions import db
from tracker.models import Case, IdempotencyKey, User
from tracker.services.tokens import issue_token_for

BODY = {key: CASE_FIELDS[key] for key in ("title", "description", "category", "raised_by_email")}


def bearer(key: str) -> dict[str, str]:
    """Headers of the writer officer's API request with an Idempotency-Key."""
    officer = db.session.scalar(select(User).where(User.email == OFFICER_EMAIL))
    token = issue_token_for(officer).token
    return {
        "Authorization": f"Bearer {token}",
        "Idempotency-Key": key,
        "Content-Type": "application/json",
    }


def post_and_kill(server, headers: dict[str, str], pause_line: str) -> None:
    """POST the case, wait until the server has paused at the kill point, SIGKILL it."""
    connection = server.connection()
    answer: Exception | None = None
    try:
        connection.request("POST", "/api/v1/cases", body=json.dumps(BODY), headers=headers)
        server.wait_for(pause_line)
        server.kill()
        connection.getresponse()
    except (http.client.HTTPException, ConnectionError) as exc:
        answer = exc
    finally:
        connection.close()
    assert answer is not None, "the client must not get an answer from a killed server"


def case_count() -> int:
    """How many cases the database holds now."""
    db.session.expire_all()
    return db.session.scalar(select(func.count(Case.id)))


@pytest.mark.parametrize(
    ("pause", "line", "stored_before_retry"),
    [("before-commit", "inside", 0), ("after-commit", "committed", 1)],
)
def test_killed_server_and_a_retry_with_the_same_key_leave_exactly_one_case(
    shared_app, servers, pause, line, stored_before_retry
):
    url = shared_app.config["SQLALCHEMY_DATABASE_URI"]
    headers = bearer(f"fault-1-{pause}")
    post_and_kill(servers.start(url, pause=pause), headers, line)
    assert case_count() == stored_before_retry

    restarted = servers.start(url)
    retry = send(restarted.connection(), "POST", "/api/v1/cases", BODY, headers)
    assert retry.status == 201, retry.text
    assert (retry.headers.get("idempotent-replayed") == "true") == bool(stored_before_retry)
    again = send(restarted.connection(), "POST", "/api/v1/cases", BODY, headers)
    assert again.status == 201 and again.headers["idempotent-replayed"] == "true"
    assert again.json()["reference"] == retry.json()["reference"]

    (case,) = check_invariants()
    assert case.reference == retry.json()["reference"]
    assert db.session.scalar(select(func.count(IdempotencyKey.id))) == 1
