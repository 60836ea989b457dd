"""The case page refers to several agencies at once; each agency's page shows its own only."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.web.conftest import IsolatedClient, fire, post_login, state_of
from tracker.extensions import db
from tracker.models import Referral
from tracker.services.transitions import fire_trigger


@pytest.fixture
def web(app: Flask) -> FlaskClient:
    """A test client whose requests do not share the test's app context (as tests/web's)."""
    app.test_client_class = IsolatedClient
    return app.test_client()


def login(client: FlaskClient, user) -> None:
    """Log in through /login, a fresh session."""
    client.delete_cookie("session")
    assert post_login(client, user.email).status_code == 302


def test_officer_refers_to_two_agencies_and_each_agency_sees_its_own(
    app, web, make_user, officer, make_case, agency, other_agency
):
    client = web
    nssf_user = make_user("agency", agency_id=agency.id)
    moh_user = make_user("agency", agency_id=other_agency.id)
    reference = make_case().case.reference
    fire_trigger(officer, reference, "analyse", {"owner_id": officer.id, "note": "Two asks."})
    login(client, officer)
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert 'name="refer-agency_ids"' in page and "multiple" in page
    sent = fire(
        client,
        reference,
        "refer",
        agency_ids=[str(agency.id), str(other_agency.id)],
        note="Please both check.",
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)[-3000:]
    assert state_of(reference) == "referred"
    assert {r.agency_id for r in db.session.scalars(select(Referral))} == {
        agency.id,
        other_agency.id,
    }
    shown = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert "National Social Security Fund" in shown and "Ministry of Health" in shown
    # Staff answering for an agency: the choice lists the agencies still to answer.
    assert 'name="respond-agency_id"' in shown

    login(client, moh_user)
    fire(client, reference, "respond", response="MOH answer text.")
    assert state_of(reference) == "referred"

    login(client, nssf_user)
    nssf_page = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert "MOH answer text." not in nssf_page
    assert (
        "Ministry of Health"
        not in nssf_page.split('id="referrals-heading"')[1].split("</section>")[0]
    )
    assert 'name="respond-response"' in nssf_page  # still NSSF's turn
    fire(client, reference, "respond", response="NSSF answer text.")
    assert state_of(reference) == "responded"

    login(client, moh_user)
    moh_page = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert "MOH answer text." in moh_page and "NSSF answer text." not in moh_page


def header_of(page: str) -> str:
    return page.split("data-case-agencies>")[1].split("</span>")[0]


def test_the_top_of_the_page_names_every_agency_to_staff_and_its_own_to_each_agency(
    app, web, make_user, officer, make_case, agency, other_agency
):
    moh_user = make_user("agency", agency_id=other_agency.id)
    reference = make_case().case.reference
    fire_trigger(officer, reference, "analyse", {"owner_id": officer.id, "note": "Two asks."})
    fire_trigger(
        officer, reference, "refer", {"agency_ids": [agency.id, other_agency.id], "note": "Both."}
    )
    login(web, officer)
    top = header_of(web.get(f"/cases/{reference}").get_data(as_text=True))
    assert "Agencies" in top
    assert "National Social Security Fund" in top and "Ministry of Health" in top
    login(web, moh_user)
    top = header_of(web.get(f"/cases/{reference}").get_data(as_text=True))
    assert "Ministry of Health" in top and "National Social Security Fund" not in top
