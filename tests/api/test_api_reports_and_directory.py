"""Report counts within the caller's visibility, the workflow document, and reference records."""

from __future__ import annotations

from tests.support import STATES
from tracker.services.transitions import fire_trigger


def test_summary_counts_by_one_and_two_dimensions(api_as, officer, make_case):
    make_case(category="maternity", province="KH-12")
    make_case(category="maternity", province="KH-12")
    make_case(category="maternity", province="KH-1")
    make_case(category="healthcare", province=None)
    staff = api_as(officer)

    one = staff.get("/api/v1/reports/summary?by=category").get_json()
    assert one == {
        "by": ["category"],
        "rows": [{"category": "maternity", "count": 3}, {"category": "healthcare", "count": 1}],
        "total": 4,
        "anonymous": 0,  # every one names its raiser
    }
    two = staff.get("/api/v1/reports/summary?by=category,province").get_json()
    assert two["by"] == ["category", "province"]
    assert two["rows"] == [
        {"category": "maternity", "province": "KH-12", "count": 2},
        {"category": "healthcare", "province": None, "count": 1},
        {"category": "maternity", "province": "KH-1", "count": 1},
    ]
    assert two["total"] == 4


def test_summary_respects_visibility(
    api_as, officer, agency, agency_user, make_case, organisation, representative
):
    referred = make_case(organisation_id=organisation.id).case.reference
    make_case(category="maternity")
    fire_trigger(officer, referred, "analyse", {"owner_id": officer.id, "note": "n"})
    fire_trigger(officer, referred, "refer", {"agency_id": agency.id, "note": "n"})
    for user in (agency_user, representative):
        body = api_as(user).get("/api/v1/reports/summary?by=state").get_json()
        rows = [{"state": "referred", "count": 1}]
        assert body == {"by": ["state"], "rows": rows, "total": 1, "anonymous": 0}
    by_agency = api_as(officer).get("/api/v1/reports/summary?by=agency").get_json()["rows"]
    assert {"agency": agency.id, "count": 1} in by_agency


def test_summary_refuses_bad_dimensions(api_as, officer):
    staff = api_as(officer)
    for by in ("colour", "state,state", "state,category,province", ""):
        answer = staff.get(f"/api/v1/reports/summary?by={by}")
        assert answer.status_code == 422, by
        assert "by" in answer.get_json()["errors"]


def test_workflow_document_has_states_transitions_and_deadlines(api_as, officer):
    body = api_as(officer).get("/api/v1/workflows/case").get_json()
    assert tuple(body["states"]) == STATES
    analyse = next(t for t in body["transitions"] if t["trigger"] == "analyse")
    assert [n for n, f in analyse["fields"].items() if f["required"]] == [
        "owner_id",
        "category",
        "note",
    ]
    assert body["deadlines"] == {"logged": 5, "analysed": 10, "referred": "agency", "responded": 10}
    assert api_as(officer).get("/api/v1/workflows/nothing").status_code == 404


def test_admin_creates_and_updates_reference_records(api_as, admin):
    api = api_as(admin)
    agency = api.post(
        "/api/v1/agencies",
        json={
            "code": "mowa",
            "name_en": "Ministry of Women's Affairs",
            "contact_emails": ["a@mowa.example.org"],
            "response_days": 15,
        },
    )
    assert agency.status_code == 201, agency.get_json()
    assert agency.get_json()["code"] == "MOWA"
    agency_id = agency.get_json()["id"]
    duplicate = api.post("/api/v1/agencies", json={"code": "MOWA", "name_en": "Again"})
    assert duplicate.status_code == 422
    assert list(duplicate.get_json()["errors"]) == ["code"]
    changed = api.patch(f"/api/v1/agencies/{agency_id}", json={"response_days": 10})
    assert changed.get_json()["response_days"] == 10
    assert (
        api.get(f"/api/v1/agencies/{agency_id}").get_json()["name_en"]
        == "Ministry of Women's Affairs"
    )

    forum = api.post(
        "/api/v1/forums",
        json={
            "title": "Regional forum",
            "kind": "regional",
            "date": "2025-06-12",
            "province": "KH-17",
        },
    )
    assert forum.status_code == 201
    assert forum.get_json()["date"] == "2025-06-12"
    bad = api.post("/api/v1/forums", json={"title": "Old", "date": "1990-01-01", "kind": "annual"})
    assert bad.status_code == 422 and list(bad.get_json()["errors"]) == ["date"]

    org = api.post(
        "/api/v1/organisations", json={"name": "Domestic Workers Network", "kind": "association"}
    )
    assert org.status_code == 201
    listed = api.get("/api/v1/organisations").get_json()
    assert listed["total"] == 1 and listed["items"][0]["name"] == "Domestic Workers Network"


def test_admin_creates_users_and_only_staff_see_emails(api_as, admin, organisation, representative):
    api = api_as(admin)
    created = api.post(
        "/api/v1/users",
        json={
            "email": "Rep2@Example.org",
            "name": "Rep Two",
            "role": "representative",
            "password": "long enough pw",
            "organisation_id": organisation.id,
        },
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["email"] == "rep2@example.org" and "password" not in body
    missing_org = api.post(
        "/api/v1/users",
        json={"email": "r3@example.org", "role": "representative", "password": "long enough pw"},
    )
    assert missing_org.status_code == 422
    assert list(missing_org.get_json()["errors"]) == ["organisation_id"]

    rep = api_as(representative)
    seen = rep.get(f"/api/v1/users/{body['id']}").get_json()
    assert seen["email"] is None and seen["name"] == "Rep Two"
    assert rep.get(f"/api/v1/users/{representative.id}").get_json()["email"] == representative.email
    assert (
        rep.post(
            "/api/v1/users",
            json={"email": "x@example.org", "role": "admin", "password": "long enough pw"},
        ).status_code
        == 403
    )
