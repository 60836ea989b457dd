"""The case page and the events API read a case's referrals once: an agency user's statements
do not grow with the timeline."""

from __future__ import annotations

from tests.api.conftest import ApiClient
from tests.support import counted_statements
from tracker.services.cases import add_comment
from tracker.services.tokens import issue_token_for
from tracker.services.transitions import fire_trigger


def grow_timeline(officer, agency, reference: str, rounds: int) -> None:
    """Refer and answer the case again and again, with comments in between."""
    for number in range(rounds):
        fire_trigger(officer, reference, "refer", {"agency_id": agency.id, "note": f"r{number}"})
        add_comment(officer, reference, f"internal {number}", internal=True)
        add_comment(officer, reference, f"shared {number}")
        fire_trigger(officer, reference, "respond", {"response": f"answer {number}"})


def test_agency_statements_stay_constant_as_the_timeline_grows(
    app, client, login, make_case, officer, agency, agency_user
):
    reference = make_case().case.reference
    fire_trigger(officer, reference, "analyse", {"owner_id": officer.id, "note": "n"})
    grow_timeline(officer, agency, reference, 1)
    api = ApiClient(app.test_client(), issue_token_for(agency_user).token)
    login(agency_user)
    counts = {}
    for label, rounds in (("short", 0), ("long", 6)):
        grow_timeline(officer, agency, reference, rounds)
        with counted_statements() as page:
            assert client.get(f"/cases/{reference}").status_code == 200
        with counted_statements() as events:
            answer = api.get(f"/api/v1/cases/{reference}/events?per_page=100")
            assert answer.status_code == 200
        counts[label] = (len(page), len(events), len(answer.get_json()["items"]))
    # The timeline really grew (an agency whose referral is answered no longer reads internal
    # comments, so three of each round's four events reach it).
    assert counts["long"][2] >= counts["short"][2] + 18
    assert counts["long"][:2] == counts["short"][:2], counts
