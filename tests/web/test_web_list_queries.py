"""Listing pages: their statements do not grow with the number of rows (no N+1)."""

from __future__ import annotations

from flask import current_app

from tests.support import counted_statements, trigger_data
from tracker.services.transitions import fire_trigger


def refer_cases(make_case, officer, agency, count: int) -> list[str]:
    references = []
    for _ in range(count):
        reference = make_case().case.reference
        for trigger in ("analyse", "refer"):
            fire_trigger(officer, reference, trigger, trigger_data(trigger, officer.id, agency.id))
        references.append(reference)
    return references


def test_referral_list_statements_do_not_grow_with_referrals(
    client, login, make_case, officer, agency, agency_user
):
    login(agency_user)
    few_refs = refer_cases(make_case, officer, agency, 2)
    with counted_statements() as few:
        page = client.get("/referrals").get_data(as_text=True)
    assert all(ref in page for ref in few_refs)
    many_refs = refer_cases(make_case, officer, agency, 12)
    with counted_statements() as many:
        page = client.get("/referrals").get_data(as_text=True)
    assert all(ref in page for ref in many_refs)
    assert len(many) == len(few)


def test_case_list_and_dashboard_statements_do_not_grow_with_cases(
    client, login, make_case, officer, agency
):
    # Each request asks the planner (a kept estimate would save one statement).
    current_app.config["LIST_ESTIMATE_KEEP_SECONDS"] = 0
    login(officer)
    refer_cases(make_case, officer, agency, 2)
    counts = {}
    for label, extra in (("few", 0), ("many", 12)):
        refer_cases(make_case, officer, agency, extra)
        for url in ("/cases", "/"):
            with counted_statements() as statements:
                assert client.get(url).status_code == 200
            counts[label, url] = len(statements)
    assert counts["few", "/cases"] == counts["many", "/cases"]
    assert counts["few", "/"] == counts["many", "/"]
