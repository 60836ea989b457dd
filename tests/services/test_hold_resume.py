"""Waiting: a held case keeps the working days it had left, and nothing is sent while held."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from notifications.reminders import queue_reminders
from tracker.extensions import db
from tracker.models import Case
from tracker.models.notifications import OutboxMessage
from tracker.services.errors import PermissionDenied, ValidationFailed
from tracker.services.transitions import fire_trigger

LOGGED = datetime(2026, 3, 25, 2, 0, tzinfo=UTC)  # Wednesday morning in Phnom Penh
HELD = datetime(2026, 4, 3, 10, 0, tzinfo=UTC)  # Friday: 3 working days before the deadline
RESUMED = HELD + timedelta(days=10)  # Monday 13 April, on the eve of Khmer New Year
WAIT = {"reason": "Waiting for the workers' payslips.", "waiting_for": "raiser"}


def reminder_rows() -> list[str]:
    """The templates of the reminders and notices queued so far."""
    templates = db.session.scalars(select(OutboxMessage.template)).all()
    return [t for t in templates if t in ("reminder_due_soon", "overdue_notice", "escalation")]


@pytest.fixture
def analysed(make_case, officer):
    """A case analysed at LOGGED: due 10 working days later, on 8 April."""
    reference = make_case(now=LOGGED).case.reference
    fire_trigger(officer, reference, "analyse", {"owner_id": officer.id, "note": "n"}, now=LOGGED)
    case = db.session.scalar(select(Case).where(Case.reference == reference))
    assert case.due_at == datetime(2026, 4, 8, 10, 0, tzinfo=UTC)
    return case


def test_resume_gives_back_the_working_days_left_counting_holidays(analysed, officer):
    held = fire_trigger(officer, analysed.reference, "hold", WAIT, now=HELD)
    assert (held.state, held.due_at, held.held_state) == ("on_hold", None, "analysed")
    assert held.held_working_days == 3
    resumed = fire_trigger(officer, analysed.reference, "resume", {"note": "Came."}, now=RESUMED)
    assert resumed.state == "analysed"
    # 14-16 April are Khmer New Year: the 3 working days are the 17th, 20th and 21st.
    assert resumed.due_at == datetime(2026, 4, 21, 10, 0, tzinfo=UTC)
    assert (resumed.held_state, resumed.held_working_days) == (None, None)


def test_nothing_is_sent_while_held(analysed, officer):
    fire_trigger(officer, analysed.reference, "hold", WAIT, now=HELD)
    db.session.execute(db.delete(OutboxMessage))
    for day in range(0, 40, 3):  # well past the old deadline and the escalation threshold
        queue_reminders(HELD + timedelta(days=day))
    db.session.commit()
    assert reminder_rows() == []
    fire_trigger(officer, analysed.reference, "resume", {"note": "Came."}, now=RESUMED)
    queue_reminders(datetime(2026, 4, 20, 1, 0, tzinfo=UTC))
    db.session.commit()
    assert reminder_rows() == ["reminder_due_soon"]  # the clock runs again


def test_hold_needs_a_reason_and_whom_it_waits_for(analysed, officer):
    with pytest.raises(ValidationFailed) as refused:
        fire_trigger(officer, analysed.reference, "hold", {"waiting_for": "someone"}, now=HELD)
    assert set(refused.value.errors) == {"reason", "waiting_for"}


def test_an_agency_holds_only_its_own_open_referral(analysed, officer, agency, agency_user):
    fire_trigger(officer, analysed.reference, "refer", {"agency_id": agency.id, "note": "n"})
    held = fire_trigger(agency_user, analysed.reference, "hold", {**WAIT, "waiting_for": "agency"})
    assert held.held_state == "referred"
    with pytest.raises(PermissionDenied):
        fire_trigger(agency_user, analysed.reference, "resume", {"note": "back"})
    fire_trigger(officer, analysed.reference, "resume", {"note": "back"})
    fire_trigger(agency_user, analysed.reference, "respond", {"response": "Paid."})
    with pytest.raises(PermissionDenied):  # answered: no open referral of its own any more
        fire_trigger(agency_user, analysed.reference, "hold", WAIT)


def test_note_length_limit_is_20000_characters(make_case, officer):
    reference = make_case().case.reference
    with pytest.raises(ValidationFailed) as refused:
        fire_trigger(officer, reference, "analyse", {"owner_id": officer.id, "note": "x" * 20001})
    assert refused.value.errors == {"note": ["Must be text of at most 20000 characters."]}
    note = "x" * 20000
    case = fire_trigger(officer, reference, "analyse", {"owner_id": officer.id, "note": note})
    assert case.state == "analysed"


@pytest.mark.parametrize("trigger", ["analyse", "hold"])
def test_every_text_field_refuses_control_characters(make_case, officer, trigger):
    reference = make_case().case.reference
    data = {"owner_id": officer.id, "note": "a\x1bb"} if trigger == "analyse" else WAIT
    data = {**data, "reason": "a\x00b"} if trigger == "hold" else data
    with pytest.raises(ValidationFailed) as refused:
        fire_trigger(officer, reference, trigger, data)
    field = "note" if trigger == "analyse" else "reason"
    assert refused.value.errors == {field: ["Must not contain control characters."]}
    assert db.session.scalar(select(Case.state).where(Case.reference == reference)) == "logged"
