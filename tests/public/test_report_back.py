"""The forum's report-back lists every concern with approved summaries only; the scorecard."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.public.conftest import CLOSED_AT, INTERNAL, LOGGED_AT, cambodian_working_days
from tests.web.conftest import post_form
from tracker.services.public_summary import set_public_summary
from tracker.services.transitions import fire_trigger

APPROVED = "Workers of a garment factory were not registered; now they are."
DRAFT = "Draft words the officer has not approved yet."
PERSONAL = ("Sok Dara", "dara@example.org", "012 999 888")


def three_concerns(make_case, officer, agency, agency_user, forum):
    """A closed case with an approved summary, one with a draft, one just logged."""
    closed = make_case(forum_id=forum.id, now=LOGGED_AT, raised_by_phone="012 999 888")
    ref = closed.case.reference
    steps = [
        (officer, "analyse", {"owner_id": officer.id, "note": INTERNAL["analysis"]}),
        (officer, "refer", {"agency_id": agency.id, "note": INTERNAL["referral"]}),
        (agency_user, "respond", {"response": "Registered."}),
    ]
    for day, (actor, trigger, data) in enumerate(steps, start=1):
        fire_trigger(actor, ref, trigger, data, now=LOGGED_AT + timedelta(days=day))
    close = {"outcome": "resolved", "resolution": INTERNAL["resolution"]}
    fire_trigger(officer, ref, "close", close, now=CLOSED_AT)
    set_public_summary(officer, ref, APPROVED, approve=True)
    drafted = make_case(forum_id=forum.id, title="Second concern").case.reference
    set_public_summary(officer, drafted, DRAFT, approve=False)
    fresh = make_case(forum_id=forum.id, title="Third concern").case.reference
    make_case(title="Another forum's concern")  # not of this forum
    return ref, drafted, fresh


def test_the_report_back_lists_every_concern_with_approved_summaries_only(
    client, make_case, officer, agency, agency_user, forum
):
    refs = three_concerns(make_case, officer, agency, agency_user, forum)
    body = client.get(f"/api/v1/public/forums/{forum.id}").get_json()
    assert body["forum"]["title"] == "Annual forum 2023"
    listed = {c["reference"]: c for c in body["cases"]}
    assert set(listed) == set(refs)
    closed = listed[refs[0]]
    assert closed == {
        "reference": refs[0],
        "category": "contributions",
        "summary": APPROVED,
        "state": "closed",
        "agency": "National Social Security Fund",
        "outcome": "resolved",
        "working_days": cambodian_working_days(LOGGED_AT.date(), CLOSED_AT.date()),
    }
    assert listed[refs[1]]["summary"] == "" and listed[refs[2]]["summary"] == ""
    assert body["totals"]["cases"] == 3 and body["totals"]["closed"] == 1
    text = json.dumps(body, ensure_ascii=False)
    for secret in (DRAFT, *INTERNAL.values(), *PERSONAL):
        assert secret not in text

    post_form(client, "/language", {"language": "km"})
    page = client.get(f"/forums/{forum.id}/report-back")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and APPROVED in html and "បេឡាជាតិ" in html
    assert all(f'data-reference="{ref}"' in html for ref in refs)
    for secret in (DRAFT, *INTERNAL.values(), *PERSONAL, "Second concern"):
        assert secret not in html
    assert client.get("/forums/999999/report-back").status_code == 404


def test_a_changed_summary_is_a_draft_again(client, make_case, officer, forum):
    ref = make_case(forum_id=forum.id).case.reference
    set_public_summary(officer, ref, APPROVED, approve=True)
    set_public_summary(officer, ref, "Changed words.", approve=False)
    [case] = client.get(f"/api/v1/public/forums/{forum.id}").get_json()["cases"]
    assert case["summary"] == ""


def test_the_scorecard_counts_answers_per_agency(
    client, make_case, officer, agency, agency_user, forum
):
    three_concerns(make_case, officer, agency, agency_user, forum)
    [row] = client.get("/api/v1/public/agencies").get_json()["rows"]
    assert (row["code"], row["referrals"], row["answered"]) == ("NSSF", 1, 1)
    # Referred on Friday 6 March, answered on Saturday 7 March: no working day in between.
    assert row["answered_on_time"] == 1 and row["median_response_days"] == 0
    page = client.get("/agencies/scorecard").get_data(as_text=True)
    assert 'data-agency="NSSF"' in page
