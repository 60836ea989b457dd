"""A case's whole life through HTTP only, checked against its timeline."""

from __future__ import annotations


def test_full_case_life_through_the_api(app, api_as, officer, agency_user, agency, representative):
    staff = api_as(officer)
    focal = api_as(agency_user)
    rep = api_as(representative)

    created = rep.post(
        "/api/v1/cases",
        json={
            "title": "Maternity benefit refused",
            "description": "Workers at a factory were refused maternity cash benefits.",
            "category": "maternity",
            "province": "KH-12",
            "gender_focus": "women",
            "raised_by_name": "Chan Sreymom",
        },
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    reference = body["reference"]
    assert body["access_code"]
    assert body["state"] == "logged"
    assert created.headers["Location"].endswith(f"/api/v1/cases/{reference}")
    path = f"/api/v1/cases/{reference}"

    steps = [
        (staff, {"trigger": "analyse", "owner_id": officer.id, "note": "Check employer records."}),
        (staff, {"trigger": "refer", "agency_id": agency.id, "note": "NSSF to review the claim."}),
        (focal, {"trigger": "respond", "response": "The benefit will be paid in May."}),
        (staff, {"trigger": "close", "outcome": "resolved", "resolution": "Paid on 2 May."}),
        (staff, {"trigger": "reopen", "reason": "Payment did not arrive."}),
    ]
    states = []
    for actor, payload in steps:
        answer = actor.post(f"{path}/transitions", json=payload)
        assert answer.status_code == 200, answer.get_json()
        states.append(answer.get_json()["state"])
    assert states == ["analysed", "referred", "responded", "closed", "analysed"]

    final = staff.get(path).get_json()
    assert final["available_transitions"] == ["refer", "close", "hold", "merge"]
    assert final["owner_id"] == officer.id and final["agency_id"] == agency.id

    events = staff.get(f"{path}/events").get_json()
    timeline = [(e["kind"], e["trigger"], e["from_state"], e["to_state"]) for e in events["items"]]
    assert timeline == [
        ("created", None, None, "logged"),
        ("assigned", None, None, None),
        ("transition", "analyse", "logged", "analysed"),
        ("transition", "refer", "analysed", "referred"),
        ("transition", "respond", "referred", "responded"),
        ("transition", "close", "responded", "closed"),
        ("transition", "reopen", "closed", "analysed"),
    ]
    assert events["total"] == len(timeline)
    respond = events["items"][4]
    assert respond["actor_id"] == agency_user.id
    assert respond["note"] == "The benefit will be paid in May."

    # The representative follows the case but reads no internal analysis or referral notes.
    rep_events = rep.get(f"{path}/events").get_json()["items"]
    notes = {e["trigger"]: e["note"] for e in rep_events if e["kind"] == "transition"}
    assert notes["analyse"] is None and notes["refer"] is None
    assert notes["respond"] == "The benefit will be paid in May."
    assert all("note" not in e["data"] for e in rep_events if e["trigger"] in {"analyse", "refer"})

    public = rep.client.get(
        f"/api/v1/public/cases/{reference}", query_string={"access_code": body["access_code"]}
    )
    assert public.status_code == 200
    assert [e["to_state"] for e in public.get_json()["timeline"]] == [
        "logged",
        "analysed",
        "referred",
        "responded",
        "closed",
        "analysed",
    ]
