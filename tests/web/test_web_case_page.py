"""The case page: the forms each user may submit now, errors beside fields, the timeline."""

from __future__ import annotations

import re

from tests.web.conftest import fire, forms_on, post_form, state_of
from tracker import access
from tracker.extensions import db
from tracker.models import Case
from tracker.services.cases import add_comment
from tracker.services.transitions import fire_trigger


def test_officer_takes_a_case_from_logged_to_closed(client, login, officer, make_case, agency):
    login(officer)
    reference = make_case().case.reference
    assert forms_on(client.get(f"/cases/{reference}").get_data(as_text=True)) == {"analyse", "hold"}

    response = fire(
        client, reference, "analyse", owner_id=officer.id, category="maternity", note=""
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert state_of(reference) == "logged"
    assert re.search(r'id="analyse-note"[^>]*aria-invalid="true"', html) or re.search(
        r'aria-invalid="true"[^>]*id="analyse-note"', html
    )
    assert 'id="analyse-note-error"' in html and "Required to analyse." in html

    assert (
        fire(
            client,
            reference,
            "analyse",
            owner_id=officer.id,
            category="maternity",
            note="Employer did not register them.",
        ).status_code
        == 302
    )
    assert state_of(reference) == "analysed"
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert forms_on(page) == {"refer", "close", "hold"}
    fire(client, reference, "refer", agency_ids=agency.id, note="Please check registrations.")
    fire(client, reference, "respond", response="Registered all 40 workers.")
    assert state_of(reference) == "responded"
    fire(client, reference, "close", outcome="resolved", resolution="Workers registered.")
    assert state_of(reference) == "closed"
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert forms_on(page) == {"reopen"}
    assert "Registered all 40 workers." in page and "Resolved" in page


def test_stale_form_changes_nothing(client, login, officer, make_case):
    login(officer)
    reference = make_case().case.reference
    data = {
        "analyse-owner_id": officer.id,
        "analyse-category": "maternity",
        "analyse-note": "note",
        "analyse-version": "0",
    }
    response = post_form(client, f"/cases/{reference}/transitions/analyse", data)
    assert response.status_code == 302
    assert state_of(reference) == "logged"
    assert "Someone else changed this case" in client.get(f"/cases/{reference}").get_data(
        as_text=True
    )


def test_trigger_not_allowed_now_changes_nothing(client, login, officer, make_case):
    login(officer)
    reference = make_case().case.reference
    response = fire(client, reference, "close", outcome="resolved", resolution="x")
    assert response.status_code == 302
    assert state_of(reference) == "logged"


def test_agency_sees_the_answer_form_only_for_its_own_open_referral(
    client, login, officer, agency_user, other_agency, agency, make_case
):
    reference = make_case().case.reference
    fire_trigger(officer, reference, "analyse", {"owner_id": officer.id, "note": "n"})
    fire_trigger(officer, reference, "refer", {"agency_id": agency.id, "note": "to NSSF"})
    login(agency_user)
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert forms_on(page) == {"respond", "hold"}  # the agency may also put its referral on hold
    assert "Sok Dara" not in page  # no personal data for agencies
    assert "to NSSF" in page  # the referral note is for the agency
    referrals = client.get("/referrals").get_data(as_text=True)
    assert reference in referrals and "Answer" in referrals
    fire(client, reference, "respond", response="Done by NSSF.")
    assert state_of(reference) == "responded"
    fire_trigger(officer, reference, "refer", {"agency_id": other_agency.id, "note": "to MOH"})
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert forms_on(page) == set()
    assert fire(client, reference, "respond", response="Not ours").status_code == 403
    assert state_of(reference) == "referred"


def test_representative_adds_information_but_sees_no_internal_notes(
    client, login, officer, representative, make_case
):
    logged = make_case(organisation_id=representative.organisation_id)
    reference = logged.case.reference
    fire_trigger(officer, reference, "analyse", {"owner_id": officer.id, "note": "secret analysis"})
    login(representative)
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert forms_on(page) == set()
    assert "secret analysis" not in page and "Sok Dara" not in page
    assert 'name="internal"' not in page
    response = post_form(client, f"/cases/{reference}/comments", {"body": "40 more workers."})
    assert response.status_code == 302
    assert "40 more workers." in client.get(f"/cases/{reference}").get_data(as_text=True)
    empty = post_form(client, f"/cases/{reference}/comments", {"body": "  "})
    assert empty.status_code == 422 and 'id="body-error"' in empty.get_data(as_text=True)


def test_assign_and_edit(client, login, officer, admin, make_case):
    login(officer)
    reference = make_case().case.reference
    version = str(db.session.scalar(db.select(Case.version).where(Case.reference == reference)))
    post_form(client, f"/cases/{reference}/assign", {"owner_id": admin.id, "version": version})
    db.session.expire_all()
    case = db.session.scalar(db.select(Case).where(Case.reference == reference))
    assert case.owner_id == admin.id
    edit = client.get(f"/cases/{reference}/edit").get_data(as_text=True)
    assert 'value="Contributions not registered"' in edit
    fields = {
        "title": "",
        "description": "d",
        "category": "maternity",
        "gender_focus": "women",
        "priority": "high",
        "language": "km",
        "version": str(case.version),
    }
    bad = post_form(client, f"/cases/{reference}/edit", fields)
    assert bad.status_code == 422 and 'id="title-error"' in bad.get_data(as_text=True)
    fields["title"] = "Maternity pay late"
    assert post_form(client, f"/cases/{reference}/edit", fields).status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, case.id).title == "Maternity pay late"


def test_pages_and_services_agree_on_who_sees_a_case(
    client, login, officer, agency_user, representative, make_user, other_organisation, make_case
):
    """One rule (tracker.access) decides for the API and the pages alike."""
    own = make_case(organisation_id=representative.organisation_id).case
    other = make_case(organisation_id=other_organisation.id).case
    outsider = make_user("representative", organisation_id=other_organisation.id)
    for user in (officer, agency_user, representative, outsider):
        login(user)
        for case in (own, other):
            status = client.get(f"/cases/{case.reference}").status_code
            assert (status == 200) == access.can_view_case(user, case), (user, case.reference)
        post_form(client, "/logout")


def test_internal_notes_leave_no_trace_for_representatives(
    client, login, officer, representative, make_case
):
    """As in the API's timeline: an internal note is not listed at all, not even as an entry."""
    reference = make_case(organisation_id=representative.organisation_id).case.reference
    add_comment(officer, reference, "Employer is a repeat offender.", internal=True)
    add_comment(officer, reference, "We are looking into it.")
    login(representative)
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert "We are looking into it." in page
    assert "repeat offender" not in page and "Added an internal note" not in page
