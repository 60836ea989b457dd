"""Control characters in every free text: 422 naming the field, nothing changed; tab and line
breaks stay allowed where text may have several lines."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.api.test_api_problems import assert_problem
from tests.conftest import CASE_FIELDS
from tests.support import PATHS, trigger_data
from tracker.extensions import db
from tracker.models import Agency, Case, Comment, Event, Forum, Organisation
from tracker.services.transitions import fire_trigger

CONTROL = ["\x1b[2J", "\x07", "\x08", "\x7f", "\x85", "\x00"]


@pytest.fixture
def staff(api_as, officer):
    """The officer's API client."""
    return api_as(officer)


@pytest.fixture
def boss(api_as, admin):
    """The admin's API client."""
    return api_as(admin)


def _events() -> int:
    return db.session.scalar(select(func.count(Event.id)))


@pytest.mark.parametrize("field", ["title", "description", "raised_by_name", "raised_by_phone"])
@pytest.mark.parametrize("char", CONTROL)
def test_case_fields_refuse_control_characters(staff, field, char):
    body = {**CASE_FIELDS, field: f"Before{char}after"}
    answer = staff.post("/api/v1/cases", json=body)
    assert field in assert_problem(answer, 422)["errors"]
    assert db.session.scalar(select(func.count(Case.id))) == 0


@pytest.mark.parametrize("field", ["title", "description", "raised_by_name"])
def test_case_edits_refuse_control_characters(staff, make_case, field):
    ref = make_case().case.reference
    etag = staff.get(f"/api/v1/cases/{ref}").headers["ETag"]
    answer = staff.patch(
        f"/api/v1/cases/{ref}", json={field: "x\x1b[31my"}, headers={"If-Match": etag}
    )
    assert field in assert_problem(answer, 422)["errors"]
    assert staff.get(f"/api/v1/cases/{ref}").headers["ETag"] == etag


@pytest.mark.parametrize(
    ("state", "trigger", "field"),
    [
        ("logged", "analyse", "note"),
        ("analysed", "refer", "note"),
        ("referred", "respond", "response"),
        ("responded", "close", "resolution"),
        ("closed", "reopen", "reason"),
    ],
)
@pytest.mark.parametrize("char", ["\x1b]0;owned\x07", "\x08", "\x85"])
def test_transition_texts_refuse_control_characters(
    staff, make_case, officer, agency, state, trigger, field, char
):
    ref = make_case().case.reference
    walk = PATHS[state] if state != "closed" else ["analyse", "close"]
    for step in walk:
        fire_trigger(officer, ref, step, trigger_data(step, officer.id, agency.id))
    before = _events()
    body = {"trigger": trigger, **trigger_data(trigger, officer.id, agency.id)}
    body[field] = f"Checked{char} with the employer"
    answer = staff.post(f"/api/v1/cases/{ref}/transitions", json=body)
    problem = assert_problem(answer, 422)
    assert problem["errors"] == {field: ["Must not contain control characters."]}
    assert staff.get(f"/api/v1/cases/{ref}").get_json()["state"] == state
    assert _events() == before


def test_transition_texts_keep_line_breaks_and_tabs(staff, make_case, officer):
    ref = make_case().case.reference
    note = "Line one\r\nLine two\n\tindented"
    answer = staff.post(
        f"/api/v1/cases/{ref}/transitions",
        json={"trigger": "analyse", "owner_id": officer.id, "note": note},
    )
    assert answer.status_code == 200, answer.get_json()
    assert db.session.scalar(select(Event.note).where(Event.trigger == "analyse")) == note


@pytest.mark.parametrize("internal", [False, True])
def test_comments_refuse_control_characters(staff, make_case, internal):
    ref = make_case().case.reference
    answer = staff.post(
        f"/api/v1/cases/{ref}/comments", json={"body": "See \x1b[8mhidden", "internal": internal}
    )
    assert assert_problem(answer, 422)["errors"] == {
        "body": ["Must not contain control characters."]
    }
    assert db.session.scalar(select(func.count(Comment.id))) == 0
    assert (
        staff.post(
            f"/api/v1/cases/{ref}/comments", json={"body": "Two\nlines\tand a tab"}
        ).status_code
        == 201
    )


@pytest.mark.parametrize(
    ("path", "body", "field", "model"),
    [
        ("/api/v1/agencies", {"code": "MOWA", "name_en": "Women\x1b"}, "name_en", Agency),
        (
            "/api/v1/agencies",
            {"code": "MOWA", "name_en": "W", "name_km": "\x07"},
            "name_km",
            Agency,
        ),
        ("/api/v1/organisations", {"name": "Union\x08"}, "name", Organisation),
        ("/api/v1/forums", {"title": "Fo\x85rum", "date": "2026-01-15"}, "title", Forum),
        ("/api/v1/forums", {"title": "F", "date": "2026-01-15", "venue": "\x1b"}, "venue", Forum),
    ],
)
def test_admin_texts_refuse_control_characters(boss, path, body, field, model):
    answer = boss.post(path, json=body)
    assert assert_problem(answer, 422)["errors"][field] == ["Must not contain control characters."]
    assert db.session.scalar(select(func.count()).select_from(model)) == 0
