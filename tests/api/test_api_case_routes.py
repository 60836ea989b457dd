"""Case routes: ETag and If-Match, transition answers, personal data, list filters and paging."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tracker.services.transitions import fire_trigger


@pytest.fixture
def staff(api_as, officer):
    """The officer's API client."""
    return api_as(officer)


def test_get_gives_an_etag_and_patch_needs_it(staff, make_case):
    ref = make_case().case.reference
    path = f"/api/v1/cases/{ref}"
    first = staff.get(path)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-store"
    assert staff.get(path, headers={"If-None-Match": etag}).status_code == 304

    missing = staff.patch(path, json={"priority": "high"})
    assert missing.status_code == 428
    assert missing.mimetype == "application/problem+json"

    changed = staff.patch(path, json={"priority": "high"}, headers={"If-Match": etag})
    assert changed.status_code == 200
    assert changed.get_json()["priority"] == "high"
    assert changed.headers["ETag"] != etag

    stale = staff.patch(path, json={"priority": "low"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale.get_json()["current_version"] == changed.get_json()["version"]
    assert staff.get(path).get_json()["priority"] == "high"


def test_an_empty_if_match_tag_names_no_version(staff, make_case):
    ref = make_case().case.reference
    empty = {"If-Match": '"", W/""'}  # found by the OpenAPI fuzz test: it was a 500
    answer = staff.patch(f"/api/v1/cases/{ref}", json={"priority": "low"}, headers=empty)
    assert answer.status_code == 412
    assert staff.patch("/api/v1/cases/--63a", json={}, headers=empty).status_code == 404
    assert staff.get(f"/api/v1/cases/{ref}").get_json()["priority"] == "normal"


def test_patch_changes_fields_and_owner_together(staff, make_case, make_user):
    case = make_case().case
    version = case.version
    other_officer = make_user("officer")
    answer = staff.patch(
        f"/api/v1/cases/{case.reference}",
        json={"title": "Renamed", "owner_id": other_officer.id},
        headers={"If-Match": "*"},
    )
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert (body["title"], body["owner_id"]) == ("Renamed", other_officer.id)
    assert body["version"] > version
    kinds = [
        e["kind"] for e in staff.get(f"/api/v1/cases/{case.reference}/events").get_json()["items"]
    ]
    assert kinds == ["created", "edited", "assigned"]


def test_bad_owner_in_patch_changes_nothing(staff, make_case, representative):
    case = make_case().case
    answer = staff.patch(
        f"/api/v1/cases/{case.reference}",
        json={"title": "Renamed", "owner_id": representative.id},
        headers={"If-Match": "*"},
    )
    assert answer.status_code == 422
    assert list(answer.get_json()["errors"]) == ["owner_id"]
    assert staff.get(f"/api/v1/cases/{case.reference}").get_json()["title"] != "Renamed"


def test_transition_answers(staff, api_as, officer, agency, agency_user, make_case):
    ref = make_case().case.reference
    path = f"/api/v1/cases/{ref}/transitions"

    not_now = staff.post(path, json={"trigger": "close", "outcome": "resolved", "resolution": "x"})
    assert not_now.status_code == 409
    assert not_now.get_json()["allowed"] == ["analyse", "hold", "merge"]

    missing = staff.post(path, json={"trigger": "analyse"})
    assert missing.status_code == 422
    assert {"owner_id", "note"} <= set(missing.get_json()["errors"])

    done = staff.post(path, json={"trigger": "analyse", "owner_id": officer.id, "note": "Ok."})
    assert done.status_code == 200
    assert done.get_json()["state"] == "analysed"
    assert done.get_json()["available_transitions"] == ["refer", "close", "hold", "merge"]

    fire_trigger(officer, ref, "refer", {"agency_id": agency.id, "note": "Please answer."})
    fire_trigger(officer, ref, "respond", {"response": "Answered."})
    focal = api_as(agency_user)
    assert focal.get(f"/api/v1/cases/{ref}").get_json()["available_transitions"] == []
    role = focal.post(path, json={"trigger": "close", "outcome": "resolved", "resolution": "x"})
    assert role.status_code == 403
    assert role.mimetype == "application/problem+json"

    stale = staff.post(
        path,
        json={"trigger": "close", "outcome": "resolved", "resolution": "x"},
        headers={"If-Match": f'"{ref}.1"'},
    )
    assert stale.status_code == 412


def test_personal_data_only_for_staff_and_the_raiser(api_as, make_user, organisation, officer):
    raiser = make_user("representative", organisation_id=organisation.id)
    colleague = make_user("representative", organisation_id=organisation.id)
    created = (
        api_as(raiser)
        .post(
            "/api/v1/cases",
            json={
                "title": "Clinic asks for payment",
                "description": "NSSF card holders are asked to pay.",
                "category": "healthcare",
                "raised_by_name": "Srey Pov",
                "raised_by_phone": "012 345 678",
            },
        )
        .get_json()
    )
    path = f"/api/v1/cases/{created['reference']}"
    assert created["organisation_id"] == organisation.id
    assert api_as(raiser).get(path).get_json()["raised_by_name"] == "Srey Pov"
    assert api_as(officer).get(path).get_json()["raised_by_phone"] == "012 345 678"
    seen = api_as(colleague).get(path).get_json()
    assert seen["raised_by_name"] is seen["raised_by_phone"] is seen["raised_by_email"] is None
    listed = api_as(colleague).get("/api/v1/cases").get_json()["items"]
    assert [c["raised_by_name"] for c in listed] == [None]


def test_list_filters_sorting_paging_and_scoped_total(
    staff, api_as, make_case, representative, organisation, other_organisation, now
):
    make_case(title="Maternity cash refused", category="maternity", organisation_id=organisation.id)
    make_case(title="Clinic fees", category="healthcare", province="KH-1", gender_focus="women")
    for number in range(3):
        make_case(title=f"Unpaid contributions {number}", organisation_id=other_organisation.id)

    everything = staff.get("/api/v1/cases?per_page=2&page=2&sort=title").get_json()
    assert (everything["total"], everything["pages"], everything["page"]) == (5, 3, 2)
    assert [c["title"] for c in everything["items"]] == [
        "Unpaid contributions 0",
        "Unpaid contributions 1",
    ]

    def titles(query: str) -> list[str]:
        return [c["title"] for c in staff.get(f"/api/v1/cases?{query}").get_json()["items"]]

    assert titles("category=maternity") == ["Maternity cash refused"]
    assert titles("province=KH-1&gender_focus=women") == ["Clinic fees"]
    assert titles("q=CLINIC") == ["Clinic fees"]
    assert titles(f"organisation_id={organisation.id}") == ["Maternity cash refused"]
    assert titles("state=analysed") == []
    soon = (now + timedelta(days=3650)).isoformat().replace("+", "%2B")
    assert len(titles(f"due_before={soon}&overdue=false")) == 5

    mine = api_as(representative).get("/api/v1/cases").get_json()
    assert mine["total"] == 1
    assert [c["title"] for c in mine["items"]] == ["Maternity cash refused"]


def test_comments_internal_only_for_staff_and_agency(
    staff, api_as, make_case, representative, organisation
):
    ref = make_case(organisation_id=organisation.id).case.reference
    rep = api_as(representative)
    public = rep.post(f"/api/v1/cases/{ref}/comments", json={"body": "Twenty more workers."})
    assert public.status_code == 201
    assert public.get_json()["internal"] is False
    refused = rep.post(f"/api/v1/cases/{ref}/comments", json={"body": "x", "internal": True})
    assert refused.status_code == 403
    internal = staff.post(
        f"/api/v1/cases/{ref}/comments", json={"body": "Owner is slow.", "internal": True}
    )
    assert internal.status_code == 201
    rep_notes = [e["note"] for e in rep.get(f"/api/v1/cases/{ref}/events").get_json()["items"]]
    assert "Twenty more workers." in rep_notes and "Owner is slow." not in rep_notes
    staff_notes = [e["note"] for e in staff.get(f"/api/v1/cases/{ref}/events").get_json()["items"]]
    assert "Owner is slow." in staff_notes


def test_someone_elses_case_answers_like_a_missing_one(
    api_as, make_case, representative, other_organisation
):
    ref = make_case(organisation_id=other_organisation.id).case.reference
    rep = api_as(representative)
    missing = "GRV-2026-99999"
    for suffix, method, body in (
        ("", "GET", None),
        ("/events", "GET", None),
        ("/comments", "POST", {"body": "Hello"}),
        ("/transitions", "POST", {"trigger": "analyse", "note": "x"}),
    ):
        theirs = rep.request(method, f"/api/v1/cases/{ref}{suffix}", json=body)
        nobody = rep.request(method, f"/api/v1/cases/{missing}{suffix}", json=body)
        assert theirs.status_code == nobody.status_code == 404
        assert theirs.get_json() == {**nobody.get_json(), "detail": f"No case {ref}."}
        assert set(theirs.headers) == set(nobody.headers)
