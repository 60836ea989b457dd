"""QUALITY fault 5: N clients PATCH one case at once with the same ETag.

Exactly one gets 200, every other one 412 (never a 500 or "database is locked"); the case changed
once, by the winner, and its timeline has one 'edited' event.
"""

from __future__ import annotations

from sqlalchemy import func, select

from tests.faults.fault_support import check_invariants
from tests.support import run_together
from tracker.extensions import db
from tracker.models import Case, Event
from tracker.services.tokens import issue_token_for

CLIENTS = 10


def patch_together(app, reference: str, etag: str, token: str) -> list[tuple[int, str, dict]]:
    """Send CLIENTS PATCHes released at once; return (status, title sent, body) of each."""

    def patch(index: int) -> tuple[int, str, dict]:
        title = f"Title from client {index}"
        answer = app.test_client().patch(
            f"/api/v1/cases/{reference}",
            json={"title": title},
            headers={"Authorization": f"Bearer {token}", "If-Match": etag},
        )
        return answer.status_code, title, answer.get_json()

    answers = run_together(CLIENTS, patch)
    assert not [a for a in answers if isinstance(a, Exception)]
    return answers


def test_concurrent_patches_with_one_etag_one_wins_the_rest_get_412(app, officer, make_case):
    case = make_case().case
    reference, version = case.reference, case.version
    token = issue_token_for(officer).token
    read = app.test_client().get(
        f"/api/v1/cases/{reference}", headers={"Authorization": f"Bearer {token}"}
    )
    etag = read.headers["ETag"]

    answers = patch_together(app, reference, etag, token)

    statuses = sorted(status for status, _, _ in answers)
    assert statuses == [200] + [412] * (CLIENTS - 1), answers
    (winner,) = [title for status, title, _ in answers if status == 200]
    assert all(body["status"] == 412 for status, _, body in answers if status == 412)
    db.session.expire_all()
    stored = db.session.scalar(select(Case).where(Case.reference == reference))
    assert (stored.title, stored.version) == (winner, version + 1)
    edits = db.session.scalars(
        select(Event).where(Event.case_id == stored.id, Event.kind == "edited")
    ).all()
    assert [edit.data["changes"]["title"]["to"] for edit in edits] == [winner]
    assert db.session.scalar(select(func.count(Case.id))) == 1
    check_invariants()
