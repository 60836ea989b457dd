"""The raiser's channel on the web: chosen on the form, checked against the contact, shown on
the case page (to those who may see personal data) and in the outbox."""

from __future__ import annotations

from sqlalchemy import select

from tests.web.conftest import post_form
from tracker.extensions import db
from tracker.models import Case

FORM = {
    "title": "Card refused",
    "description": "The clinic refused the NSSF card.",
    "category": "healthcare",
    "gender_focus": "all",
    "priority": "normal",
    "language": "km",
    "workflow": "case",
}


def test_the_form_takes_a_channel_and_refuses_one_without_its_contact(client, login, officer):
    login(officer)
    page = client.get("/cases/new").get_data(as_text=True)
    assert 'name="channel"' in page and 'value="telegram"' in page
    refused = post_form(client, "/cases/new", {**FORM, "channel": "sms"})
    assert refused.status_code == 422
    assert "SMS needs the raiser" in refused.get_data(as_text=True)
    assert db.session.scalars(select(Case)).all() == []
    done = post_form(
        client, "/cases/new", {**FORM, "channel": "sms", "raised_by_phone": "012 345 678"}
    )
    assert done.status_code == 302
    [case] = db.session.scalars(select(Case)).all()
    assert case.channel == "sms"
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert 'data-channel="sms"' in page


def test_the_case_page_shows_the_default_channel(client, login, officer, make_case):
    case = make_case(raised_by_email="", raised_by_phone="012 345 678").case
    login(officer)
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert 'data-channel="sms"' in page


def test_the_api_gives_the_channel_to_those_who_see_personal_data(
    client, login, officer, make_case, agency, agency_user
):
    from tracker.services.case_views import case_view

    case = make_case(raised_by_email="dara@example.org").case
    assert case_view(officer, case)["channel"] == "email"
    from tracker.services.transitions import fire_trigger

    fire_trigger(officer, case.reference, "analyse", {"owner_id": officer.id, "note": "x"})
    fire_trigger(officer, case.reference, "refer", {"agency_id": agency.id, "note": "y"})
    assert case_view(agency_user, case)["channel"] is None
