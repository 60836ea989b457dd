"""Each role's next step on the dashboard, counts that open the filtered list, the referral note
beside the answer box, and success messages that say what happened."""

from __future__ import annotations

import html as markup
import re
from datetime import timedelta

from tests.web.conftest import fire, post_form
from tracker.extensions import db
from tracker.models import Case, now_utc
from tracker.services.cases import assign_case
from tracker.services.transitions import fire_trigger


def references(html: str) -> set[str]:
    return set(re.findall(r"GRV-\d{4}-\d{5}", html))


def step(html: str, kind: str) -> str:
    """One next-step panel of the dashboard."""
    start = html.index(f'data-step="{kind}"')
    return html[start : html.index("</section>", start)]


def step_link(panel: str) -> str:
    return markup.unescape(re.search(r'<h3[^>]*><a href="([^"]+)"', panel).group(1))


def count(panel: str) -> int:
    return int(re.search(r'class="count[^"]*">(\d+)<', panel).group(1))


def test_an_officers_next_steps_link_to_the_same_cases_in_the_list(
    client, login, officer, agency, make_case, make_user
):
    """Answered, due soon, new to me and on hold: each count is the list the link opens."""
    other = make_user("officer")
    answered = make_case(title="Answered").case.reference
    fire_trigger(officer, answered, "analyse", {"owner_id": officer.id, "note": "Checked."})
    fire_trigger(officer, answered, "refer", {"agency_id": agency.id, "note": "Please look."})
    fire_trigger(officer, answered, "respond", {"response": "Paid."})
    soon = make_case(title="Due soon").case.reference
    fire_trigger(officer, soon, "analyse", {"owner_id": officer.id, "note": "Checked."})
    db.session.execute(
        db.update(Case).where(Case.reference == soon).values(due_at=now_utc() + timedelta(hours=3))
    )
    db.session.commit()
    new = make_case(title="New to me").case
    assign_case(officer, new.reference, officer.id, expected_version=new.version)
    held = make_case(title="Held").case.reference
    fire_trigger(officer, held, "analyse", {"owner_id": officer.id, "note": "Checked."})
    fire_trigger(officer, held, "hold", {"reason": "Payslips", "waiting_for": "raiser"})
    someone_elses = make_case(title="Not mine").case.reference
    fire_trigger(officer, someone_elses, "analyse", {"owner_id": other.id, "note": "Checked."})

    login(officer)
    board = client.get("/").get_data(as_text=True)
    expected = {
        "ready_to_close": {answered},
        "due_soon": {soon},
        "new_to_me": {new.reference},
        "on_hold": {held},
    }
    for kind, refs in expected.items():
        panel = step(board, kind)
        assert references(panel) == refs, kind
        assert count(panel) == len(refs), kind
        listing = client.get(step_link(panel)).get_data(as_text=True)
        table = listing[listing.index("<tbody>") :]
        assert references(table) == refs, (kind, step_link(panel))
    assert board.index("data-next-steps") < board.index('id="states-heading"')


def test_an_agency_sees_its_referrals_and_the_question_beside_the_answer_box(
    client, login, officer, agency, agency_user, make_case
):
    """The referral note stands inside the respond form, not only down in the timeline."""
    reference = make_case().case.reference
    fire_trigger(officer, reference, "analyse", {"owner_id": officer.id, "note": "Checked."})
    fire_trigger(
        officer, reference, "refer", {"agency_id": agency.id, "note": "Were the 40 registered?"}
    )
    login(agency_user)
    panel = step(client.get("/").get_data(as_text=True), "to_answer")
    assert references(panel) == {reference} and count(panel) == 1
    assert "state=referred" in step_link(panel) and "sort=due_at" in step_link(panel)
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    form = page[page.index(f'action="/cases/{reference}/transitions/respond"') :]
    form = form[: form.index("</form>")]
    assert "Were the 40 registered?" in form
    assert form.index("data-referral-note") < form.index('name="respond-response"')


def test_a_representative_sees_what_changed_in_their_organisation(
    client, login, officer, representative, other_organisation, make_case
):
    """Only their organisation's cases, and the link lists the same ones."""
    own = make_case(organisation_id=representative.organisation_id).case.reference
    make_case(organisation_id=other_organisation.id)
    login(representative)
    panel = step(client.get("/").get_data(as_text=True), "changed")
    assert references(panel) == {own} and count(panel) == 1
    listing = client.get(step_link(panel)).get_data(as_text=True)
    assert references(listing[listing.index("<tbody>") :]) == {own}


def test_a_referral_says_where_the_case_went_and_by_when(
    client, login, officer, other_agency, make_case
):
    """ "GRV-… sent to the Ministry of Health; due …" instead of "Done: Refer." """
    reference = make_case().case.reference
    fire_trigger(officer, reference, "analyse", {"owner_id": officer.id, "note": "Checked."})
    login(officer)
    fire(client, reference, "refer", agency_ids=str(other_agency.id), note="Please check.")
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    message = re.search(r'class="flash flash-success"[^>]*>([^<]+)<', page).group(1)
    due = db.session.scalar(db.select(Case).where(Case.reference == reference)).due_at
    assert message.startswith(f"{reference} sent to Ministry of Health; due ")
    assert str(due.year) in message


def test_assigning_says_who_owns_the_case_now(client, login, officer, make_user, make_case):
    """ "GRV-… now belongs to Officer 2." rather than "Owner changed." """
    other = make_user("officer")
    reference = make_case().case.reference
    fire_trigger(officer, reference, "analyse", {"owner_id": officer.id, "note": "Checked."})
    login(officer)
    version = db.session.scalar(db.select(Case.version).where(Case.reference == reference))
    post_form(
        client, f"/cases/{reference}/assign", {"owner_id": str(other.id), "version": str(version)}
    )
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert f"{reference} now belongs to {other.name}." in page
