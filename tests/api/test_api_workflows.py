"""Workflows over the API: their names, their definitions (loadable as files), and cases that
follow the information-request workflow from creation to closing."""

from __future__ import annotations

import json

import pytest

from tests.conftest import test_settings
from tracker import create_app
from tracker.workflow_registry import registry
from workflows import DefinitionFileError

CASE = {
    "title": "Which form for maternity pay?",
    "description": "Asked at the forum.",
    "category": "maternity",
}


def test_names_list_every_workflow(api_as, officer):
    assert api_as(officer).get("/api/v1/workflows").get_json() == {
        "names": ["case", "info_request"]
    }


def test_a_definition_saved_under_another_name_loads_as_it_is(api_as, officer, db_url, tmp_path):
    body = api_as(officer).get("/api/v1/workflows/case").get_json()
    body["name"] = "case_copy"
    (tmp_path / "copy.json").write_text(json.dumps(body, ensure_ascii=False))
    other = create_app(test_settings(db_url, WORKFLOW_PATH=str(tmp_path)))
    with other.app_context():
        copy = registry().workflow("case_copy")
        original = registry().workflow("case")
        assert copy.transitions == original.transitions
        assert copy.states == original.states
        assert copy.deadlines == original.deadlines


def test_a_broken_definition_file_stops_the_start(db_url, tmp_path):
    broken = tmp_path / "appeal.yaml"
    broken.write_text(
        "name: appeal\ninitial: submitted\nstates: {submitted: null}\n"
        "transitions: [{trigger: settle, from: [submitted], to: settled, roles: [admin]}]\n"
    )
    with pytest.raises(DefinitionFileError) as caught:
        create_app(test_settings(db_url, WORKFLOW_PATH=str(tmp_path)))
    assert str(broken) in str(caught.value)
    assert "transition 'settle' targets unknown state 'settled'" in str(caught.value)


def test_an_information_request_runs_end_to_end(api_as, officer, make_user):
    staff = api_as(officer)
    created = staff.post("/api/v1/cases", json={**CASE, "workflow": "info_request"})
    assert created.status_code == 201, created.get_json()
    case = created.get_json()
    assert (case["workflow"], case["state"]) == ("info_request", "logged")
    assert case["available_transitions"] == ["answer"]
    path = f"/api/v1/cases/{case['reference']}/transitions"

    not_now = staff.post(path, json={"trigger": "close", "resolution": "Sent."})
    assert not_now.status_code == 409
    assert not_now.get_json()["allowed"] == ["answer"]
    missing = staff.post(path, json={"trigger": "answer"})
    assert missing.status_code == 422
    assert list(missing.get_json()["errors"]) == ["response"]
    stranger = staff.post(path, json={"trigger": "answer", "response": "x", "outcome": "resolved"})
    assert stranger.status_code == 422 and "outcome" in stranger.get_json()["errors"]

    answered = staff.post(path, json={"trigger": "answer", "response": "Form B4, in Khmer."})
    assert answered.status_code == 200, answered.get_json()
    assert answered.get_json()["state"] == "answered"
    closed = staff.post(path, json={"trigger": "close", "resolution": "Sent the form."})
    assert closed.get_json()["state"] == "closed" and closed.get_json()["due_at"] is None
    events = staff.get(f"/api/v1/cases/{case['reference']}/events").get_json()["items"]
    assert [e["trigger"] for e in events if e["kind"] == "transition"] == ["answer", "close"]
    assert events[1]["note"] == "Form B4, in Khmer."


def test_an_unknown_workflow_is_refused(api_as, officer):
    answer = api_as(officer).post("/api/v1/cases", json={**CASE, "workflow": "parcel"})
    assert answer.status_code == 422
    assert answer.get_json()["errors"]["workflow"] == ["Must be one of: case, info_request."]


def test_the_openapi_document_describes_each_trigger_from_its_definition(anonymous):
    spec = anonymous.get("/api/v1/openapi.json").get_json()
    body = spec["paths"]["/api/v1/cases/{reference}/transitions"]["post"]["requestBody"]
    refs = [
        r["$ref"].rsplit("/", 1)[1] for r in body["content"]["application/json"]["schema"]["anyOf"]
    ]
    assert "Transition_info_request_answer" in refs and "Transition_case_hold" in refs
    hold = spec["components"]["schemas"]["Transition_case_hold"]["properties"]
    assert hold["waiting_for"]["enum"] == ["raiser", "agency", "other"]
    assert hold["reason"]["maxLength"] == 20000
    assert hold["trigger"]["enum"] == ["hold"]
