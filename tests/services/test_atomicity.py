"""A failure after the state change but before the commit leaves nothing behind."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from tests.support import trigger_data
from tracker.extensions import db
from tracker.models import Case, Event, Referral
from tracker.services.transitions import fire_trigger


class InjectedFailure(RuntimeError):
    """Raised by the test just before the transaction commits."""


@pytest.fixture
def fail_next_commit(app):
    """Return a switch that makes the session's next commit fail, after the state is flushed."""

    def explode(session):
        session.flush()
        raise InjectedFailure("disk full")

    session = db.session()
    yield lambda: event.listen(session, "before_commit", explode, once=True)
    if event.contains(session, "before_commit", explode):
        event.remove(session, "before_commit", explode)


def test_failed_transition_leaves_neither_state_nor_event(
    case_in_state, officer, agency, fail_next_commit
):
    case = case_in_state("analysed")
    fail_next_commit()
    events_before = db.session.scalar(select(func.count()).where(Event.case_id == case.id))
    reference, version = case.reference, case.version
    with pytest.raises(InjectedFailure):
        fire_trigger(officer, reference, "refer", trigger_data("refer", officer.id, agency.id))
    db.session.expire_all()
    case = db.session.scalar(select(Case).where(Case.reference == reference))
    assert (case.state, case.version, case.agency_id) == ("analysed", version, None)
    assert db.session.scalar(select(func.count()).where(Event.case_id == case.id)) == events_before
    assert db.session.scalar(select(func.count()).select_from(Referral)) == 0


def test_failed_creation_uses_no_reference(make_case, fail_next_commit, now):
    fail_next_commit()
    with pytest.raises(InjectedFailure):
        make_case(now=now)
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0
    assert make_case(now=now).case.reference == "GRV-2026-00001"
