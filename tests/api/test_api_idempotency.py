"""POST /api/v1/cases with an Idempotency-Key: a retry replays, a different body is refused."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.support import run_together
from tracker.extensions import db
from tracker.models import Case, IdempotencyKey

BODY = {"title": "Unpaid sick leave", "description": "Employer refuses.", "category": "benefits"}


def case_count() -> int:
    """How many cases exist."""
    return db.session.scalar(select(func.count(Case.id)))


def test_same_key_and_body_returns_the_first_result_and_creates_nothing(api_as, officer):
    staff = api_as(officer)
    key = {"Idempotency-Key": "forum-2026-row-17"}
    first = staff.post("/api/v1/cases", json=BODY, headers=key)
    again = staff.post("/api/v1/cases", json=dict(reversed(BODY.items())), headers=key)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    replay = again.get_json()
    original = first.get_json()
    assert "access_code" not in replay  # shown once, never stored in clear
    assert replay == {k: v for k, v in original.items() if k != "access_code"}
    assert again.headers["ETag"] == first.headers["ETag"]
    assert case_count() == 1
    stored = db.session.scalar(select(IdempotencyKey))
    assert original["access_code"] not in str(stored.response_body)


def test_same_key_with_another_body_is_422_and_creates_nothing(api_as, officer):
    staff = api_as(officer)
    key = {"Idempotency-Key": "k-1"}
    assert staff.post("/api/v1/cases", json=BODY, headers=key).status_code == 201
    other = staff.post("/api/v1/cases", json={**BODY, "title": "Other"}, headers=key)
    assert other.status_code == 422
    assert other.mimetype == "application/problem+json"
    assert "Idempotency-Key" in other.get_json()["errors"]
    assert case_count() == 1


def test_keys_belong_to_their_user(api_as, officer, admin):
    key = {"Idempotency-Key": "shared-key"}
    assert api_as(officer).post("/api/v1/cases", json=BODY, headers=key).status_code == 201
    theirs = api_as(admin).post("/api/v1/cases", json=BODY, headers=key)
    assert theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs.headers
    assert case_count() == 2


def test_invalid_request_stores_no_key(api_as, officer):
    staff = api_as(officer)
    key = {"Idempotency-Key": "k-2"}
    assert staff.post("/api/v1/cases", json={"title": "x"}, headers=key).status_code == 422
    assert staff.post("/api/v1/cases", json=BODY, headers=key).status_code == 201
    assert case_count() == 1


def test_bad_key_is_refused(api_as, officer):
    answer = api_as(officer).post(
        "/api/v1/cases", json=BODY, headers={"Idempotency-Key": "x" * 201}
    )
    assert answer.status_code == 422
    assert case_count() == 0


def test_concurrent_retries_with_one_key_create_one_case(app, officer, token_for):
    token = token_for(officer)

    def post(_index: int) -> tuple[int, dict]:
        answer = app.test_client().post(
            "/api/v1/cases",
            json=BODY,
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "race"},
        )
        return answer.status_code, answer.get_json()

    answers = run_together(4, post)
    statuses = [a[0] for a in answers]
    bodies = [a[1] for a in answers]
    assert statuses == [201] * 4, bodies
    assert len({body["reference"] for body in bodies}) == 1
    db.session.expire_all()
    assert case_count() == 1
