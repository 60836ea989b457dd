"""Bulk triage (all or none, one event per case) and access-code reissue through the API."""

from __future__ import annotations

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Case, Event
from tracker.services.errors import NotFound
from tracker.services.public import lookup_public_case
from tracker.services.transitions import fire_trigger

BULK = "/api/v1/cases/bulk-transitions"


def transition_events(trigger: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Event).where(Event.trigger == trigger)
    )


def test_analyse_eight_cases_at_once(api_as, officer, make_case):
    references = [make_case().case.reference for _ in range(8)]
    response = api_as(officer).post(
        BULK,
        {
            "references": references,
            "trigger": "analyse",
            "owner_id": officer.id,
            "note": "Triaged.",
        },
    )
    assert response.status_code == 200, response.json
    assert [c["state"] for c in response.json["cases"]] == ["analysed"] * 8
    assert [c["reference"] for c in response.json["cases"]] == references
    assert transition_events("analyse") == 8
    assert {c.owner_id for c in db.session.scalars(select(Case))} == {officer.id}


def test_one_case_in_the_wrong_state_changes_nothing_and_is_named(
    api_as, officer, make_case, agency
):
    references = [make_case().case.reference for _ in range(8)]
    fire_trigger(officer, references[5], "analyse", {"owner_id": officer.id, "note": "Done."})
    before = db.session.scalar(select(func.count()).select_from(Event))
    versions = dict(db.session.execute(select(Case.reference, Case.version)).all())
    response = api_as(officer).post(
        BULK,
        {"references": references, "trigger": "analyse", "owner_id": officer.id, "note": "All."},
    )
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert list(response.json["errors"]) == [references[5]]
    assert any("refer" in m for m in response.json["errors"][references[5]])
    assert len(response.json["errors"][references[5]]) == 1  # what is allowed, said once
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Event)) == before
    assert dict(db.session.execute(select(Case.reference, Case.version)).all()) == versions
    assert {c.state for c in db.session.scalars(select(Case)) if c.reference != references[5]} == {
        "logged"
    }


def test_missing_fields_refuse_all_with_422_per_case(api_as, officer, make_case):
    references = [make_case().case.reference for _ in range(3)]
    response = api_as(officer).post(BULK, {"references": references, "trigger": "refer"})
    assert response.status_code in (409, 422)
    response = api_as(officer).post(
        BULK, {"references": references, "trigger": "analyse", "note": "No owner."}
    )
    assert response.status_code == 422
    assert set(response.json["errors"]) == set(references)
    assert response.json["errors"][references[0]] == ["owner_id: Required to analyse."]
    assert transition_events("analyse") == 0


def test_refer_and_assign_in_bulk(api_as, officer, make_user, make_case, agency):
    colleague = make_user("officer")
    references = [make_case().case.reference for _ in range(3)]
    api = api_as(officer)
    assigned = api.post(
        BULK, {"references": references, "trigger": "assign", "owner_id": colleague.id}
    )
    assert assigned.status_code == 200
    assert {c["owner_id"] for c in assigned.json["cases"]} == {colleague.id}
    api.post(BULK, {"references": references, "trigger": "analyse", "note": "Checked."})
    referred = api.post(
        BULK,
        {"references": references, "trigger": "refer", "agency_id": agency.id, "note": "Please."},
    )
    assert referred.status_code == 200, referred.json
    assert {c["state"] for c in referred.json["cases"]} == {"referred"}
    assert transition_events("refer") == 3


def test_an_unknown_reference_refuses_the_batch(api_as, officer, make_case):
    reference = make_case().case.reference
    response = api_as(officer).post(
        BULK,
        {"references": [reference, "GRV-1999-99999"], "trigger": "assign", "owner_id": officer.id},
    )
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["GRV-1999-99999"]
    assert db.session.scalar(select(Case.owner_id)) is None


def test_reissue_gives_a_new_code_and_the_old_one_stops(api_as, officer, make_case):
    logged = make_case()
    reference = logged.case.reference
    response = api_as(officer).post(f"/api/v1/cases/{reference}/access-code", {})
    assert response.status_code == 201
    code = response.json["access_code"]
    assert code != logged.access_code
    assert lookup_public_case(reference, code).reference == reference
    try:
        lookup_public_case(reference, logged.access_code)
    except NotFound:
        pass
    else:
        raise AssertionError("the old code still works")
    events = api_as(officer).get(f"/api/v1/cases/{reference}/events").json["items"]
    reissued = [e for e in events if e["kind"] == "code_reissued"]
    assert len(reissued) == 1 and code not in str(reissued[0])
