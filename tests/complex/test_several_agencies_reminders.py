"""A case referred to several agencies is reminded of each late referral, naming that agency."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from notifications.jobs import deliver
from notifications.reminders import queue_reminders
from tracker.extensions import db
from tracker.models import Referral
from tracker.services.transitions import fire_trigger
from tracker.working_days import working_calendar


def due_of(agency_id: int):
    """The deadline of the referral to an agency."""
    return db.session.scalar(select(Referral.due_at).where(Referral.agency_id == agency_id))


def test_the_overdue_notice_names_the_late_agency_only(
    app, make_case, officer, agency, other_agency, outbox_rows, smtp, now
):
    reference = make_case(now=now).case.reference
    fire_trigger(officer, reference, "analyse", {"owner_id": officer.id, "note": "x"}, now=now)
    both = {"agency_ids": [agency.id, other_agency.id], "note": "Both."}
    fire_trigger(officer, reference, "refer", both, now=now)
    calendar = working_calendar()
    moh_late = calendar.add_working_days(due_of(other_agency.id), 1) + timedelta(hours=1)
    assert moh_late < due_of(agency.id) - timedelta(days=3)  # NSSF is not even due soon

    queue_reminders(moh_late)
    notices = outbox_rows("overdue_notice")
    assert len(notices) == 1
    assert notices[0].context["late_agency"]["en"] == "Ministry of Health"
    deliver(moh_late)
    (message,) = smtp.handler.to(officer.email)
    text = message.message.get_body(("plain",)).get_content()
    assert "Ministry of Health" in text and "Ministry of Health" in str(message.message["Subject"])
    assert "National Social Security Fund" not in text

    # MOH answers late; later NSSF is late too: its own notice, naming NSSF only.
    fire_trigger(
        officer,
        reference,
        "respond",
        {"response": "Done.", "agency_id": other_agency.id},
        now=moh_late,
    )
    nssf_late = calendar.add_working_days(due_of(agency.id), 1) + timedelta(hours=1)
    queue_reminders(nssf_late)
    notices = outbox_rows("overdue_notice")
    assert len(notices) == 2
    assert notices[1].context["late_agency"]["en"] == "National Social Security Fund"
    assert notices[1].context["case"]["due_at"] == due_of(agency.id).isoformat()
    queue_reminders(nssf_late)  # a repeated run sends nothing twice
    assert len(outbox_rows("overdue_notice")) == 2
