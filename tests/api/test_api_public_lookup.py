"""The public lookup shows state, dates and the public timeline, and leaks nothing else."""

from __future__ import annotations

import json

from tracker.services.cases import add_comment
from tracker.services.transitions import fire_trigger

SECRETS = (
    "Sok Dara",
    "dara@example.org",
    "012 999 888",
    "Workers find",
    "Contributions not registered",
    "Check the payroll",
    "Refer to NSSF inspectors",
    "Employer is a relative",
    "Officer",
)


def test_public_lookup_shows_status_and_nothing_personal(client, make_case, officer, agency):
    logged = make_case(raised_by_phone="012 999 888")
    ref = logged.case.reference
    fire_trigger(officer, ref, "analyse", {"owner_id": officer.id, "note": "Check the payroll."})
    fire_trigger(
        officer, ref, "refer", {"agency_id": agency.id, "note": "Refer to NSSF inspectors."}
    )
    add_comment(officer, ref, "Employer is a relative of the owner.", internal=True)

    answer = client.get(
        f"/api/v1/public/cases/{ref}", query_string={"access_code": logged.access_code}
    )
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["reference"] == ref and body["state"] == "referred"
    assert [e["to_state"] for e in body["timeline"]] == ["logged", "analysed", "referred"]
    assert set(body) == {
        "reference",
        "state",
        "category",
        "outcome",
        "created_at",
        "updated_at",
        "due_at",
        "resolution_public",
        "agency",
        "working_days",
        "timeline",
        "merged_into",
    }
    assert set(body["timeline"][0]) == {"at", "kind", "trigger", "from_state", "to_state"}
    text = json.dumps(body)
    for secret in SECRETS:
        assert secret not in text
    assert str(officer.id) not in {str(v) for e in body["timeline"] for v in e.values()}


def test_access_code_is_forgiving_about_case_and_dashes(client, make_case):
    logged = make_case()
    code = logged.access_code.replace("-", "").lower()
    answer = client.get(f"/api/v1/public/cases/{logged.case.reference.lower()}?access_code={code}")
    assert answer.status_code == 200


def test_wrong_code_and_unknown_reference_answer_the_same_404(client, make_case):
    logged = make_case()
    wrong_code = client.get(
        f"/api/v1/public/cases/{logged.case.reference}",
        query_string={"access_code": "AAAA-BBBB-CCCC"},
    )
    unknown = client.get(
        "/api/v1/public/cases/GRV-2026-99999", query_string={"access_code": logged.access_code}
    )
    assert wrong_code.status_code == unknown.status_code == 404
    assert wrong_code.get_json() == unknown.get_json()
    assert wrong_code.mimetype == "application/problem+json"
    missing = client.get(f"/api/v1/public/cases/{logged.case.reference}")
    assert missing.status_code == 422
    assert list(missing.get_json()["errors"]) == ["access_code"]
