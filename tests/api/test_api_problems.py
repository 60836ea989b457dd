"""Bad requests get clear application/problem+json answers and change nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Case, Event

PROBLEM_KEYS = {"type", "title", "status", "detail"}


def assert_problem(answer, status: int) -> dict:
    """The answer is problem+json with the standard members and this status."""
    assert answer.status_code == status, answer.get_data(as_text=True)
    assert answer.mimetype == "application/problem+json"
    body = answer.get_json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["detail"]
    return body


def case_count() -> int:
    """How many cases exist."""
    return db.session.scalar(select(func.count(Case.id)))


@pytest.fixture
def staff(api_as, officer):
    """The officer's API client."""
    return api_as(officer)


def test_malformed_json_is_400_with_a_clear_detail(staff):
    answer = staff.post(
        "/api/v1/cases", data='{"title": "x",', headers={"Content-Type": "application/json"}
    )
    body = assert_problem(answer, 400)
    assert "not valid JSON" in body["detail"]
    assert case_count() == 0


@pytest.mark.parametrize(
    "body",
    [
        "[" * 50_000 + "]" * 50_000,  # nested deeper than the JSON decoder recurses
        '{"title": "x", "people_affected": ' + "9" * 5000 + "}",  # beyond int() digit limit
    ],
)
def test_json_the_decoder_gives_up_on_is_400_not_500(staff, body):
    answer = staff.post("/api/v1/cases", data=body, headers={"Content-Type": "application/json"})
    body = assert_problem(answer, 400)
    assert "not valid JSON" in body["detail"]
    assert case_count() == 0


def test_wrong_content_type_is_415(staff):
    answer = staff.post("/api/v1/cases", data="title=x", content_type="text/plain")
    assert_problem(answer, 415)
    assert case_count() == 0


def test_oversized_body_is_413(staff):
    answer = staff.post(
        "/api/v1/cases",
        json={"title": "Big", "description": "x" * 300_000, "category": "other"},
    )
    assert_problem(answer, 413)
    assert case_count() == 0


def test_missing_unknown_and_wrongly_typed_fields_are_named(staff):
    answer = staff.post(
        "/api/v1/cases",
        json={
            "description": 42,
            "category": "other",
            "people_affected": "ten",
            "province": "KH-99",
            "colour": "red",
        },
    )
    body = assert_problem(answer, 422)
    assert set(body["errors"]) == {"title", "description", "people_affected", "province", "colour"}
    assert all(isinstance(m, list) and m for m in body["errors"].values())
    assert "title" in body["detail"]
    assert case_count() == 0


@pytest.mark.parametrize(
    "body",
    [
        ["not", "an", "object"],
        "just text",
        {"title": "x\u0000y", "description": "d", "category": "other"},
        {"title": True, "description": "d", "category": "other"},
        {"title": "t", "description": "d", "category": "other", "people_affected": 1.5},
        {"title": "t", "description": "d", "category": "other", "forum_id": 10**20},
    ],
)
def test_bodies_of_the_wrong_shape_are_422(staff, body):
    answer = staff.post(
        "/api/v1/cases",
        data=json.dumps(body),
        headers={"Content-Type": "application/json"},
    )
    assert_problem(answer, 422)
    assert case_count() == 0


@pytest.mark.parametrize("field", ["state", "version", "id", "created_by_id", "reference"])
def test_read_only_fields_are_refused_on_create_and_patch(staff, make_case, field):
    payload = {"title": "t", "description": "d", "category": "other", field: 7}
    assert_problem(staff.post("/api/v1/cases", json=payload), 422)
    assert case_count() == 0

    case = make_case().case
    before = (case.state, case.version, case.reference)
    answer = staff.patch(
        f"/api/v1/cases/{case.reference}",
        json={"title": "New title", field: "closed" if field == "state" else 99},
        headers={"If-Match": f'"{case.reference}.{case.version}"'},
    )
    body = assert_problem(answer, 422)
    assert list(body["errors"]) == [field]
    db.session.expire_all()
    assert (case.state, case.version, case.reference) == before
    assert case.title != "New title"
    assert db.session.scalar(select(func.count(Event.id))) == 1


def test_per_page_is_capped_and_unknown_query_parameters_refused(staff):
    body = assert_problem(staff.get("/api/v1/cases?per_page=1000"), 422)
    assert list(body["errors"]) == ["per_page"]
    body = assert_problem(staff.get("/api/v1/cases?colour=red"), 422)
    assert list(body["errors"]) == ["colour"]
    assert staff.get("/api/v1/cases?per_page=100").status_code == 200


def test_unknown_routes_and_methods_answer_problems(staff):
    assert_problem(staff.get("/api/v1/nothing-here"), 404)
    assert_problem(staff.get("/api/v1/cases/not a reference"), 404)
    answer = staff.request("PUT", "/api/v1/cases", json={})
    assert_problem(answer, 405)
    assert "GET" in answer.headers["Allow"]


def test_header_injection_in_names_is_refused(api_as, admin, staff):
    smuggled = "Eve\r\nBcc: everyone@example.org"
    user = api_as(admin).post(
        "/api/v1/users",
        json={
            "email": "eve@example.org",
            "name": smuggled,
            "role": "officer",
            "password": "x" * 12,
        },
    )
    assert_problem(user, 422)
    assert list(user.get_json()["errors"]) == ["name"]
    case = staff.post(
        "/api/v1/cases",
        json={"title": "t", "description": "d", "category": "other", "raised_by_name": smuggled},
    )
    assert list(assert_problem(case, 422)["errors"]) == ["raised_by_name"]
    email = staff.post(
        "/api/v1/cases",
        json={
            "title": "t",
            "description": "d",
            "category": "other",
            "raised_by_email": "a@example.org\r\nBcc: b@example.org",
        },
    )
    assert list(assert_problem(email, 422)["errors"]) == ["raised_by_email"]
