"""Every (state, trigger) pair through the service: the right state and one event, or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.support import CASE_TABLE, STATES, TRIGGERS, counted_statements, next_state, trigger_data
from tracker.extensions import db
from tracker.models import Case, Event, Referral
from tracker.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tracker.services.transitions import available_triggers, fire_trigger


def events_of(case: Case) -> list[Event]:
    return list(
        db.session.scalars(select(Event).where(Event.case_id == case.id).order_by(Event.id))
    )


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("trigger", TRIGGERS)
def test_every_state_trigger_pair(case_in_state, make_case, officer, agency, state, trigger):
    case = case_in_state(state)
    before_events = len(events_of(case))
    before_version = case.version
    into = make_case(title="The case it duplicates").case.reference if trigger == "merge" else ""
    data = trigger_data(trigger, officer.id, agency.id, into)
    expected = next_state(state, trigger, held="logged")  # PATHS["on_hold"] holds a logged case
    if expected is None:
        with pytest.raises(Conflict) as refused:
            fire_trigger(officer, case.reference, trigger, data)
        allowed = sorted(t for (s, t) in CASE_TABLE if s == state)
        assert sorted(refused.value.allowed) == allowed
        db.session.refresh(case)
        assert case.state == state
        assert case.version == before_version
        assert len(events_of(case)) == before_events
        return
    fire_trigger(officer, case.reference, trigger, data)
    db.session.refresh(case)
    assert case.state == expected
    new_events = events_of(case)[before_events:]
    transitions = [e for e in new_events if e.kind == "transition"]
    assert len(transitions) == 1
    event = transitions[0]
    assert (event.trigger, event.from_state, event.to_state) == (trigger, state, expected)
    assert event.actor_id == officer.id
    assert all(
        event.data.get(name) == value
        for name, value in data.items()
        if name not in ("owner_id", "agency_id")
    )


def test_analyse_names_every_missing_field(make_case, officer):
    case = make_case().case
    with pytest.raises(ValidationFailed) as failed:
        fire_trigger(officer, case.reference, "analyse", {})
    assert set(failed.value.errors) == {"owner_id", "note"}
    db.session.refresh(case)
    assert case.state == "logged"


def test_owner_must_be_staff(make_case, officer, representative):
    case = make_case().case
    with pytest.raises(ValidationFailed) as failed:
        fire_trigger(
            officer, case.reference, "analyse", {"owner_id": representative.id, "note": "n"}
        )
    assert "owner_id" in failed.value.errors


def test_close_refuses_unknown_outcome(case_in_state, officer):
    case = case_in_state("analysed")
    with pytest.raises(ValidationFailed) as failed:
        fire_trigger(officer, case.reference, "close", {"outcome": "fixed", "resolution": "x"})
    assert "outcome" in failed.value.errors


def test_refer_needs_an_existing_agency(case_in_state, officer):
    case = case_in_state("analysed")
    with pytest.raises(ValidationFailed) as failed:
        fire_trigger(officer, case.reference, "refer", {"agency_id": 99999, "note": "n"})
    assert failed.value.errors == {"agency_id": ["No such agency."]}


def test_unknown_trigger_is_a_validation_error(make_case, officer):
    case = make_case().case
    with pytest.raises(ValidationFailed) as failed:
        fire_trigger(officer, case.reference, "escalate", {})
    assert "trigger" in failed.value.errors


def test_representative_may_not_analyse_own_case(make_case, representative, officer):
    case = make_case(actor=representative).case
    with pytest.raises(PermissionDenied):
        fire_trigger(
            representative, case.reference, "analyse", {"owner_id": officer.id, "note": "n"}
        )


def test_agency_answers_only_its_own_referral(
    case_in_state, agency_user, make_user, other_agency, officer
):
    case = case_in_state("referred")
    stranger = make_user("agency", agency_id=other_agency.id)
    with pytest.raises(NotFound):
        fire_trigger(stranger, case.reference, "respond", {"response": "not ours"})
    fire_trigger(agency_user, case.reference, "respond", {"response": "Answered."})
    with pytest.raises(PermissionDenied):
        fire_trigger(
            agency_user, case.reference, "close", {"outcome": "resolved", "resolution": "x"}
        )
    referral = db.session.scalar(select(Referral).where(Referral.case_id == case.id))
    assert referral.response == "Answered." and referral.answered_by_id == agency_user.id
    assert available_triggers(agency_user, case) == []
    assert set(available_triggers(officer, case)) == {"refer", "close", "hold", "merge"}


def test_agency_loses_answer_right_after_referral_elsewhere(
    case_in_state, agency_user, officer, other_agency
):
    case = case_in_state("responded")
    fire_trigger(officer, case.reference, "refer", {"agency_id": other_agency.id, "note": "MOH"})
    with pytest.raises(PermissionDenied):
        fire_trigger(agency_user, case.reference, "respond", {"response": "late answer"})
    assert db.session.scalar(select(func.count()).select_from(Referral)) == 2


def test_reopen_clears_the_outcome(case_in_state, officer):
    case = case_in_state("closed")
    assert case.outcome == "resolved"
    fire_trigger(officer, case.reference, "reopen", {"reason": "Back again."})
    db.session.refresh(case)
    assert (case.state, case.outcome, case.resolution) == ("analysed", None, "")


def test_a_transition_writes_the_case_row_once(make_case, officer):
    """One UPDATE per transition: the version moves by exactly one."""
    case = make_case().case
    version = case.version
    with counted_statements() as statements:
        fire_trigger(officer, case.reference, "analyse", trigger_data("analyse", officer.id, 0))
    updates = [s for s in statements if s.lstrip().upper().startswith("UPDATE CASES")]
    assert len(updates) == 1
    assert case.version == version + 1
