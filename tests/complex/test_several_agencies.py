"""One refer names several agencies: a referral, a deadline and an email each; each agency
answers its own; the case is responded when the last open referral is answered."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from notifications.jobs import deliver
from tests.web.conftest import post_form, state_of
from tracker.extensions import db
from tracker.models import Case, Event, Referral
from tracker.public_links import read_referral_token
from tracker.services.transitions import fire_trigger
from tracker.working_days import working_calendar

ANSWER_LINK = re.compile(r"http://tracker\.test(/referrals/answer/[A-Za-z0-9._-]+)")


def analysed(make_case, officer, now=None) -> str:
    """A case analysed by the officer, who owns it; its reference."""
    reference = make_case(now=now).case.reference
    fire_trigger(officer, reference, "analyse", {"owner_id": officer.id, "note": "Both."}, now=now)
    return reference


def transitions(api, reference: str, body: dict):
    """Fire a trigger through the API."""
    return api.post(f"/api/v1/cases/{reference}/transitions", json=body)


def snapshot(reference: str) -> tuple:
    """What a refused request must leave as it was: the case, its referrals, its events."""
    db.session.expire_all()
    case = db.session.scalar(select(Case).where(Case.reference == reference))
    referrals = db.session.execute(
        select(Referral.id, Referral.response, Referral.answered_at).order_by(Referral.id)
    ).all()
    events = db.session.scalar(select(func.count()).select_from(Event))
    return case.state, case.version, case.due_at, tuple(referrals), events


def referral_of(agency_id: int) -> Referral:
    """The one referral to an agency."""
    db.session.expire_all()
    return db.session.scalar(select(Referral).where(Referral.agency_id == agency_id))


def test_two_agencies_two_referrals_two_deadlines_two_emails(
    app, api_as, make_user, officer, make_case, agency, other_agency, smtp
):
    make_user("agency", agency_id=other_agency.id, language="km")  # MOH reads Khmer
    reference = analysed(make_case, officer)
    answer = transitions(
        api_as(officer),
        reference,
        {"trigger": "refer", "agency_ids": [agency.id, other_agency.id], "note": "Both please."},
    )
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["state"] == "referred"
    assert body["agency_id"] == agency.id  # the lead agency: the first named
    assert body["agency_ids"] == [agency.id, other_agency.id]
    assert [r["agency_id"] for r in body["referrals"]] == [agency.id, other_agency.id]

    nssf, moh = referral_of(agency.id), referral_of(other_agency.id)
    calendar = working_calendar()
    assert nssf.due_at == calendar.add_working_days(nssf.referred_at, 20)
    assert moh.due_at == calendar.add_working_days(moh.referred_at, 15)
    assert moh.due_at < nssf.due_at
    assert body["due_at"] == moh.due_at.isoformat()  # the earliest open referral's

    deliver()
    to_nssf = smtp.handler.to("referrals@nssf.example.org")
    to_moh = smtp.handler.to("focal@moh.example.org")
    assert len(to_nssf) == 1 and len(to_moh) == 1
    nssf_text = to_nssf[0].message.get_body(("plain",)).get_content()
    moh_text = to_moh[0].message.get_body(("plain",)).get_content()
    assert "National Social Security Fund" in str(to_nssf[0].message["Subject"])
    assert "ក្រសួងសុខាភិបាល" in str(to_moh[0].message["Subject"])  # its own name, in Khmer
    # Each in its own language: the first line names its agency and its deadline.
    assert "ត្រូវបានបញ្ជូនទៅ ក្រសួងសុខាភិបាល" in moh_text
    assert "is referred to National Social Security Fund" in nssf_text
    nssf_links, moh_links = ANSWER_LINK.findall(nssf_text), ANSWER_LINK.findall(moh_text)
    assert len(set(nssf_links)) == 1 and len(set(moh_links)) == 1
    assert read_referral_token(nssf_links[0].rsplit("/", 1)[1]) == nssf.id
    assert read_referral_token(moh_links[0].rsplit("/", 1)[1]) == moh.id


def test_each_agency_answers_only_its_own_and_the_last_answer_moves_the_case(
    app, api_as, make_user, officer, make_case, agency, other_agency
):
    nssf_user = make_user("agency", agency_id=agency.id)
    moh_user = make_user("agency", agency_id=other_agency.id)
    reference = analysed(make_case, officer)
    staff, nssf_api, moh_api = api_as(officer), api_as(nssf_user), api_as(moh_user)
    refer = {"trigger": "refer", "agency_ids": [agency.id, other_agency.id], "note": "Both."}
    assert transitions(staff, reference, refer).status_code == 200

    # Staff must say which agency answered while two are open; an agency cannot answer another's.
    before = snapshot(reference)
    unnamed = transitions(staff, reference, {"trigger": "respond", "response": "Someone did."})
    assert unnamed.status_code == 422 and "agency_id" in unnamed.get_json()["errors"]
    foreign = transitions(
        nssf_api,
        reference,
        {"trigger": "respond", "response": "For MOH.", "agency_id": other_agency.id},
    )
    assert foreign.status_code == 422 and foreign.mimetype == "application/problem+json"
    assert snapshot(reference) == before

    first = transitions(moh_api, reference, {"trigger": "respond", "response": "Clinic fixed."})
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["state"] == "referred"  # NSSF has still to answer
    assert first.get_json()["due_at"] == referral_of(agency.id).due_at.isoformat()
    assert first.get_json()["available_transitions"] == []  # MOH is done

    before = snapshot(reference)
    again = transitions(moh_api, reference, {"trigger": "respond", "response": "Once more."})
    assert again.status_code == 403 and again.mimetype == "application/problem+json"
    assert "already answered" in again.get_json()["detail"]
    assert snapshot(reference) == before

    # NSSF sees MOH's referral row no more than MOH's answer; MOH sees its own.
    nssf_view = nssf_api.get(f"/api/v1/cases/{reference}").get_json()
    assert [r["agency_id"] for r in nssf_view["referrals"]] == [agency.id]
    nssf_events = nssf_api.get(f"/api/v1/cases/{reference}/events").get_json()["items"]
    moh_answer = next(e for e in nssf_events if e["kind"] == "answered")
    assert moh_answer["note"] is None and "response" not in moh_answer["data"]
    assert "Clinic fixed." not in str(nssf_events)
    moh_events = moh_api.get(f"/api/v1/cases/{reference}/events").get_json()["items"]
    assert any(e["note"] == "Clinic fixed." for e in moh_events)

    last = transitions(nssf_api, reference, {"trigger": "respond", "response": "Registered."})
    assert last.status_code == 200 and last.get_json()["state"] == "responded"
    moh_events = moh_api.get(f"/api/v1/cases/{reference}/events").get_json()["items"]
    assert "Registered." not in str(moh_events)
    db.session.expire_all()
    answers = db.session.execute(
        select(Event.kind, Event.from_state, Event.to_state, Event.data)
        .where(Event.trigger == "respond")
        .order_by(Event.id)
    ).all()
    assert [(kind, to) for kind, _from, to, _data in answers] == [
        ("answered", "referred"),
        ("transition", "responded"),  # one transition, when the last answer lands
    ]
    assert [data["agency_id"] for *_rest, data in answers] == [other_agency.id, agency.id]
    assert {r.agency_id: r.response for r in db.session.scalars(select(Referral))} == {
        agency.id: "Registered.",
        other_agency.id: "Clinic fixed.",
    }


def test_agency_id_alone_still_refers_to_one_agency(app, api_as, officer, make_case, agency):
    reference = analysed(make_case, officer)
    refer = {"trigger": "refer", "agency_id": agency.id, "note": "NSSF only."}
    answer = transitions(api_as(officer), reference, refer)
    assert answer.status_code == 200
    assert answer.get_json()["agency_ids"] == [agency.id]
    wrong = transitions(api_as(officer), analysed(make_case, officer), {**refer, "agency_id": 999})
    assert wrong.status_code == 422 and "agency_id" in wrong.get_json()["errors"]


def test_staff_name_the_agency_that_answered(app, api_as, officer, make_case, agency, other_agency):
    reference = analysed(make_case, officer)
    staff = api_as(officer)
    refer = {"trigger": "refer", "agency_ids": [agency.id, other_agency.id], "note": "Both."}
    transitions(staff, reference, refer)
    answer = {"trigger": "respond", "response": "By phone.", "agency_id": agency.id}
    assert transitions(staff, reference, answer).get_json()["state"] == "referred"
    repeated = transitions(staff, reference, answer)
    assert repeated.status_code == 422 and "agency_id" in repeated.get_json()["errors"]
    answer["agency_id"] = other_agency.id
    assert transitions(staff, reference, answer).get_json()["state"] == "responded"


def test_each_signed_link_answers_its_own_referral(
    app, client, officer, make_case, agency, other_agency, outbox_rows
):
    reference = analysed(make_case, officer)
    fire_trigger(
        officer, reference, "refer", {"agency_ids": [agency.id, other_agency.id], "note": "Both."}
    )
    links = {
        read_referral_token(row.context["answer_url"].rsplit("/", 1)[1]): row.context[
            "answer_url"
        ].removeprefix("http://tracker.test")
        for row in outbox_rows("case_referred")
    }
    nssf, moh = referral_of(agency.id), referral_of(other_agency.id)
    assert set(links) == {nssf.id, moh.id}
    assert post_form(client, links[moh.id], {"response": "MOH: done."}).status_code == 200
    assert state_of(reference) == "referred"
    assert client.get(links[moh.id]).status_code == 410
    assert client.get(links[nssf.id]).status_code == 200  # the other link still works
    assert post_form(client, links[nssf.id], {"response": "NSSF: done."}).status_code == 200
    assert state_of(reference) == "responded"
    assert referral_of(other_agency.id).response == "MOH: done."
