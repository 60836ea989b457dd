"""Officers approve the public summary on the case page; the feedback hook other channels use;
the internal resolution summary stays with staff."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.public.conftest import INTERNAL, PUBLIC_ANSWER
from tests.web.conftest import post_form
from tracker.extensions import db
from tracker.models import Case, Feedback
from tracker.services.errors import Conflict, PermissionDenied
from tracker.services.feedback import record_feedback
from tracker.services.public_summary import set_public_summary


def test_an_officer_approves_the_summary_on_the_case_page(client, login, officer, make_case, forum):
    ref = make_case(forum_id=forum.id).case.reference
    login(officer)
    version = db.session.scalar(select(Case.version).where(Case.reference == ref))
    data = {"public_summary": "Forty workers not registered.", "version": version}
    assert (
        post_form(client, f"/cases/{ref}/public-summary", {**data, "approve": "0"}).status_code
        == 302
    )
    [listed] = client.get(f"/api/v1/public/forums/{forum.id}").get_json()["cases"]
    assert listed["summary"] == ""
    version = db.session.scalar(select(Case.version).where(Case.reference == ref))
    data["version"] = version
    assert (
        post_form(client, f"/cases/{ref}/public-summary", {**data, "approve": "1"}).status_code
        == 302
    )
    [listed] = client.get(f"/api/v1/public/forums/{forum.id}").get_json()["cases"]
    assert listed["summary"] == "Forty workers not registered."
    page = client.get(f"/cases/{ref}").get_data(as_text=True)
    assert "chip chip-ok" in page


def test_only_staff_write_public_summaries(make_case, representative):
    ref = make_case(actor=representative).case.reference
    with pytest.raises(PermissionDenied):
        set_public_summary(representative, ref, "Words.", approve=True)


def test_the_hook_records_feedback_from_another_channel_once(closed_case):
    case = db.session.get(Case, closed_case.case.id)
    given = record_feedback(case, "yes", "Thanks.", channel="telegram")
    assert given.appeal_until is None
    assert db.session.scalar(select(Feedback.channel)) == "telegram"
    with pytest.raises(Conflict):
        record_feedback(case, "no", channel="telegram")


def test_a_representative_sees_the_public_answer_not_the_internal_summary(
    client, login, make_user, organisation, make_case, officer
):
    from tracker.services.transitions import fire_trigger

    rep = make_user("representative", organisation_id=organisation.id)
    ref = make_case(actor=rep).case.reference
    fire_trigger(officer, ref, "analyse", {"owner_id": officer.id, "note": "x"})
    close = {
        "outcome": "resolved",
        "resolution": INTERNAL["resolution"],
        "resolution_public": PUBLIC_ANSWER,
    }
    fire_trigger(officer, ref, "close", close)
    login(rep)
    page = client.get(f"/cases/{ref}").get_data(as_text=True)
    assert PUBLIC_ANSWER in page and INTERNAL["resolution"] not in page
