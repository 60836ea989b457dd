"""A closed case's answer on the status page and in the public API; nothing internal shown."""

from __future__ import annotations

import json

from tests.public.conftest import CLOSED_AT, INTERNAL, LOGGED_AT, PUBLIC_ANSWER
from tests.public.conftest import cambodian_working_days as working_days
from tests.web.conftest import post_form
from tracker.services.cases import add_comment

PERSONAL = ("Sok Dara", "dara@example.org", "012 999 888")


def test_the_public_api_carries_the_answer_and_nothing_internal(client, closed_case, officer):
    ref = closed_case.case.reference
    add_comment(officer, ref, "Internal comment about the raiser.", internal=True)
    body = client.get(
        f"/api/v1/public/cases/{ref}", headers={"X-Access-Code": closed_case.access_code}
    ).get_json()
    assert body["state"] == "closed" and body["outcome"] == "resolved"
    assert body["resolution_public"] == PUBLIC_ANSWER
    assert body["agency"] == "National Social Security Fund"
    assert body["working_days"] == working_days(LOGGED_AT.date(), CLOSED_AT.date())
    text = json.dumps(body, ensure_ascii=False)
    for secret in (*INTERNAL.values(), *PERSONAL, "Internal comment", officer.name):
        assert secret not in text
    same = client.post(f"/api/v1/public/cases/{ref}", json={"access_code": closed_case.access_code})
    assert same.get_json()["resolution_public"] == PUBLIC_ANSWER


def test_an_open_case_has_no_answer_yet(client, make_case):
    logged = make_case()
    body = client.get(
        f"/api/v1/public/cases/{logged.case.reference}",
        headers={"X-Access-Code": logged.access_code},
    ).get_json()
    assert (body["resolution_public"], body["working_days"], body["agency"]) == (None, None, None)


def test_the_status_page_shows_the_answer_in_khmer(client, closed_case):
    ref = closed_case.case.reference
    post_form(client, "/language", {"language": "km"})
    page = post_form(
        client, "/status", {"reference": ref, "access_code": closed_case.access_code}
    ).get_data(as_text=True)
    assert PUBLIC_ANSWER in page
    assert "បេឡាជាតិ" in page  # the agency's Khmer name
    assert "បានដោះស្រាយ" in page  # "Resolved"
    assert "តើបញ្ហាត្រូវបានដោះស្រាយទេ?" in page  # "Was it resolved?"
    assert f">{working_days(LOGGED_AT.date(), CLOSED_AT.date())}<" in page
    for secret in (*INTERNAL.values(), *PERSONAL):
        assert secret not in page
