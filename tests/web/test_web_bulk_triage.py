"""Bulk triage from the case list: checkboxes, an action bar, all or none; owner column."""

from __future__ import annotations

import html
import re

from sqlalchemy import func, select

from tests.web.conftest import post_form
from tracker.extensions import db
from tracker.models import Case, Event
from tracker.services.transitions import fire_trigger


def events() -> int:
    return db.session.scalar(select(func.count()).select_from(Event))


def test_the_list_has_checkboxes_an_owner_column_and_row_links(client, login, officer, make_case):
    logged = make_case()
    fire_trigger(officer, logged.case.reference, "analyse", {"owner_id": officer.id, "note": "x"})
    login(officer)
    html = client.get("/cases").get_data(as_text=True)
    assert f'name="references" value="{logged.case.reference}"' in html
    assert f'data-href="/cases/{logged.case.reference}"' in html
    assert re.search(r'class="meta-cell owner-cell">' + re.escape(officer.name), html)
    assert 'action="/cases/bulk"' in html


def test_eight_cases_analysed_from_the_list(client, login, officer, make_case):
    references = [make_case().case.reference for _ in range(8)]
    login(officer)
    before = events()
    response = post_form(
        client,
        "/cases/bulk",
        {
            "action": "analyse",
            "references": references,
            "owner_id": str(officer.id),
            "note": "Triage after the forum.",
            "back": "/cases?state=logged",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/cases?state=logged"
    assert {c.state for c in db.session.scalars(select(Case))} == {"analysed"}
    transitions = db.session.scalars(select(Event).where(Event.trigger == "analyse")).all()
    assert len(transitions) == 8
    assert events() > before
    page = client.get("/cases").get_data(as_text=True)
    assert "8 cases changed." in page


def test_one_refusal_changes_nothing_and_names_the_case(client, login, officer, make_case, agency):
    references = [make_case().case.reference for _ in range(4)]
    fire_trigger(officer, references[2], "analyse", {"owner_id": officer.id, "note": "x"})
    login(officer)
    before = events()
    response = post_form(
        client,
        "/cases/bulk",
        {"action": "refer", "references": references, "agency_ids": str(agency.id), "note": "Go."},
    )
    assert response.status_code == 302
    assert events() == before
    page = client.get("/cases").get_data(as_text=True)
    assert "No case was changed" in page
    for reference in (references[0], references[1], references[3]):
        assert f'role="alert">{reference}:' in page
    assert f'role="alert">{references[2]}:' not in page
    assert db.session.scalar(select(func.count()).where(Case.state == "referred")) == 0


def test_bulk_triage_is_for_staff_and_stays_on_this_site(
    client, login, representative, officer, make_case
):
    reference = make_case().case.reference
    login(representative)
    html = client.get("/cases").get_data(as_text=True)
    assert 'name="references"' not in html
    refused = post_form(client, "/cases/bulk", {"action": "assign", "references": [reference]})
    assert refused.status_code == 403
    post_form(client, "/logout")
    login(officer)
    response = post_form(
        client,
        "/cases/bulk",
        {
            "action": "assign",
            "references": [reference],
            "owner_id": str(officer.id),
            "back": "https://evil.example.org/",
        },
    )
    assert response.headers["Location"] == "/cases"
    assert db.session.scalar(select(Case.owner_id)) == officer.id


def alerts(page: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r'role="alert">([^<]*)<', page)]


def test_a_refusal_is_worded_for_people_and_the_choices_are_kept(
    client, login, make_user, officer, make_case
):
    references = [make_case().case.reference for _ in range(3)]
    fire_trigger(officer, references[1], "analyse", {"owner_id": officer.id, "note": "x"})
    login(officer)
    data = {"action": "analyse", "references": references, "note": "After the forum."}
    post_form(client, "/cases/bulk", {**data, "owner_id": str(officer.id)})
    page = client.get("/cases").get_data(as_text=True)
    said = alerts(page)
    assert f"{references[1]}: “Analyse” is not possible while the case is “Analysed”." in said
    assert not any("allowed" in line.lower() or "'analyse'" in line for line in said), said
    # What was chosen comes back: the ticks, the action, the owner and the note.
    for reference in references:
        assert re.search(rf'value="{reference}" id="pick-{reference}"[^>]*checked', page)
    assert re.search(r'<option value="analyse" selected>', page)
    assert re.search(rf'<option value="{officer.id}" selected>', page)
    assert ">After the forum.</textarea>" in page
    # Only once: the next visit of the list starts afresh.
    assert " checked" not in client.get("/cases").get_data(as_text=True)

    # A missing field is said once, with its label, not once per case and field name.
    post_form(client, "/cases/bulk", {**data, "references": [references[0], references[2]]})
    said = alerts(client.get("/cases").get_data(as_text=True))
    assert said.count("Owner: Required to analyse.") == 1, said
    assert not any("owner_id" in line for line in said), said


def test_a_refusal_in_khmer(client, login, make_user, officer, make_case):
    references = [make_case().case.reference for _ in range(2)]
    fire_trigger(officer, references[0], "analyse", {"owner_id": officer.id, "note": "x"})
    login(make_user("officer", language="km"))
    post_form(
        client,
        "/cases/bulk",
        {"action": "analyse", "references": references, "note": "n", "owner_id": str(officer.id)},
    )
    said = alerts(client.get("/cases").get_data(as_text=True))
    assert any(line.startswith(f"{references[0]}៖ មិនអាច") for line in said), said
    assert not any("Analyse" in line or "cannot" in line for line in said), said


def test_a_case_of_another_workflow_and_an_unknown_one_are_named(client, login, officer, make_case):
    case = make_case().case.reference
    request = make_case(workflow="info_request").case.reference
    login(officer)
    post_form(
        client,
        "/cases/bulk",
        {
            "action": "analyse",
            "references": [case, request, "GRV-1999-99999"],
            "owner_id": str(officer.id),
            "note": "n",
        },
    )
    said = alerts(client.get("/cases").get_data(as_text=True))
    assert f"{request}: “Analyse” is not a step of this case's workflow." in said, said
    assert "GRV-1999-99999: no such case." in said, said
    assert db.session.scalar(select(Case.state).where(Case.reference == case)) == "logged"
