"""Event emails: who gets what, in which language, written in the event's transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from notifications.models import OutboxMessage
from tracker.extensions import db
from tracker.models import Case, Event
from tracker.services.cases import assign_case
from tracker.services.transitions import fire_trigger


def _recipients(rows) -> list[tuple[str, str, str]]:
    return sorted((r.template, r.recipient_email, r.language) for r in rows)


def _walk_to_referred(officer, reference, agency, owner=None):
    fire_trigger(
        officer, reference, "analyse", {"owner_id": (owner or officer).id, "note": "Looked at it"}
    )
    fire_trigger(officer, reference, "refer", {"agency_id": agency.id, "note": "Please answer"})


def test_logging_a_case_queues_the_acknowledgement_with_the_access_code(make_case, outbox_rows):
    logged = make_case(language="km", raised_by_email="dara@example.org")
    [row] = outbox_rows()
    assert (row.template, row.recipient_email, row.language) == (
        "case_logged",
        "dara@example.org",
        "km",
    )
    assert row.case_id == logged.case.id
    assert row.context["access_code"] == logged.access_code
    assert row.context["case"]["reference"] == logged.case.reference
    assert row.status == "pending" and row.message_id.startswith("<")


def test_no_acknowledgement_without_a_known_address(make_case, outbox_rows):
    make_case(raised_by_email="")
    assert outbox_rows() == []


def test_a_representative_raising_a_case_gets_the_acknowledgement(
    make_case, representative, outbox_rows
):
    make_case(actor=representative, raised_by_email="")
    [row] = outbox_rows()
    assert (row.recipient_email, row.user_id) == (representative.email, representative.id)


def test_assignment_emails_the_new_owner_but_not_someone_assigning_themselves(
    make_case, make_user, officer, outbox_rows
):
    colleague = make_user("officer", language="km")
    ref = make_case().case.reference
    assign_case(officer, ref, officer.id)
    assert outbox_rows("case_assigned") == []
    assign_case(officer, ref, colleague.id)
    assert _recipients(outbox_rows("case_assigned")) == [("case_assigned", colleague.email, "km")]


def test_referral_goes_to_the_agency_contacts_in_its_users_language(
    make_case, make_user, officer, agency, outbox_rows
):
    agency.contact_emails = ["referrals@nssf.example.org", "second@nssf.example.org"]
    db.session.commit()
    make_user("agency", agency_id=agency.id, language="km")
    ref = make_case().case.reference
    _walk_to_referred(officer, ref, agency)
    rows = outbox_rows("case_referred")
    assert _recipients(rows) == [
        ("case_referred", "referrals@nssf.example.org", "km"),
        ("case_referred", "second@nssf.example.org", "km"),
    ]
    assert rows[0].context["summary"]["description"].startswith("Workers find")
    assert rows[0].context["note"] == "Please answer"


def test_response_close_and_reopen_reach_owner_and_raiser(
    make_case, make_user, officer, agency, agency_user, outbox_rows
):
    owner = make_user("officer")
    ref = make_case(raised_by_email="raiser@example.org").case.reference
    _walk_to_referred(officer, ref, agency, owner=owner)
    fire_trigger(agency_user, ref, "respond", {"response": "We fixed the registration."})
    assert _recipients(outbox_rows("case_responded")) == [
        ("case_responded", owner.email, "en"),
        ("case_responded", "raiser@example.org", "en"),
    ]
    audiences = {r.recipient_email: r.context["audience"] for r in outbox_rows("case_responded")}
    assert audiences == {owner.email: "staff", "raiser@example.org": "public"}
    fire_trigger(officer, ref, "close", {"outcome": "resolved", "resolution": "Registered."})
    [closed] = outbox_rows("case_closed")
    assert closed.recipient_email == "raiser@example.org"
    assert closed.context["outcome"] == "resolved"
    fire_trigger(officer, ref, "reopen", {"reason": "It happened again."})
    [reopened] = outbox_rows("case_reopened")
    assert reopened.recipient_email == owner.email


def test_a_transition_that_fails_rolls_back_its_outbox_rows(
    make_case, officer, agency, outbox_rows
):
    """The outbox rows are written in the transition's transaction, and vanish with it."""
    ref = make_case(raised_by_email="").case.reference
    fire_trigger(officer, ref, "analyse", {"owner_id": officer.id, "note": "ok"})
    written_before_failure = []

    def fail_commit(session):
        written_before_failure.append(
            session.scalar(select(func.count()).select_from(OutboxMessage))
        )
        raise RuntimeError("disk full")

    session = db.session()
    sa_event.listen(session, "before_commit", fail_commit)
    try:
        with pytest.raises(RuntimeError):
            fire_trigger(officer, ref, "refer", {"agency_id": agency.id, "note": "answer"})
    finally:
        sa_event.remove(session, "before_commit", fail_commit)
    assert written_before_failure == [1]  # the referral email was in the transaction …
    assert outbox_rows() == []  # … and was rolled back with the state change and the event
    db.session.expire_all()
    case = db.session.scalar(select(Case).where(Case.reference == ref))
    assert case.state == "analysed"
    assert db.session.scalar(select(func.count()).where(Event.trigger == "refer")) == 0


def test_a_case_is_logged_without_sending_anything_in_the_request(smtp, make_case, outbox_rows):
    """Mail is never sent inside a request: only the delivery worker talks to SMTP."""
    make_case()
    assert smtp.handler.messages == []
    assert [r.status for r in outbox_rows()] == ["pending"]
