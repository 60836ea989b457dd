"""`demo --bulk N [--seed S]`: synthetic cases, spread out, whole, reproducible."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tests.conftest import CASE_FIELDS, wipe_data
from tests.support import next_state
from tracker.extensions import db
from tracker.models import Case, Event, Referral
from tracker.services.cases import log_case
from tracker.services.synthetic import add_synthetic_cases


def _fingerprint() -> list[tuple]:
    return list(
        db.session.execute(
            select(
                Case.reference,
                Case.title,
                Case.state,
                Case.category,
                Case.province,
                Case.created_at,
            ).order_by(Case.id)
        )
    )


def test_bulk_cases_are_spread_over_states_categories_provinces_agencies_and_years(app, now):
    assert add_synthetic_cases(1500, seed=7, now=now) == 1500
    cases = db.session.scalars(select(Case)).all()
    assert len(cases) == 1500 and all(case.illustrative for case in cases)
    assert {c.state for c in cases} >= {"logged", "analysed", "referred", "responded", "closed"}
    assert "on_hold" in {c.state for c in cases}
    assert len({c.category for c in cases}) >= 6
    assert len({c.province for c in cases}) == 25
    assert len({c.agency_id for c in cases if c.agency_id}) >= 4
    years = {c.created_at.year for c in cases}
    assert len(years) >= 5 and min(c.created_at for c in cases) >= now - timedelta(days=5 * 366)
    assert {c.language for c in cases} == {"en", "km"}
    assert len({c.reference for c in cases}) == 1500


def test_every_bulk_case_replays_from_its_events_and_has_its_referrals(app, now):
    add_synthetic_cases(400, seed=2, now=now)
    events: dict[int, list[Event]] = {}
    for event in db.session.scalars(select(Event).order_by(Event.at, Event.id)):
        events.setdefault(event.case_id, []).append(event)
    referred = {r.case_id for r in db.session.scalars(select(Referral))}
    for case in db.session.scalars(select(Case)):
        trail = events[case.id]
        assert trail[0].kind == "created" and trail[0].to_state == "logged"
        state = "logged"
        for event in trail[1:]:
            state = next_state(state, event.trigger)
        assert state == case.state, case.reference
        went_to_agency = any(e.trigger == "refer" for e in trail)
        assert went_to_agency == (case.id in referred)
        assert (case.due_at is None) == (case.state in ("closed", "on_hold"))


def test_the_same_seed_gives_the_same_cases_and_another_seed_others(app, now):
    add_synthetic_cases(300, seed=5, now=now)
    first = _fingerprint()
    wipe_data()
    add_synthetic_cases(300, seed=5, now=now)
    assert _fingerprint() == first
    wipe_data()
    add_synthetic_cases(300, seed=6, now=now)
    assert _fingerprint() != first


def test_cases_logged_after_a_bulk_load_get_new_references(app, officer, now):
    add_synthetic_cases(200, seed=1, now=now)
    taken = set(db.session.scalars(select(Case.reference)))
    logged = log_case(officer, CASE_FIELDS, now=now)
    assert logged.case.reference not in taken
    assert db.session.scalar(select(func.count()).select_from(Case)) == 201


def test_the_command_adds_the_cases_and_says_so(runner, app):
    result = runner.invoke(args=["demo", "--bulk", "120", "--seed", "4"])
    assert result.exit_code == 0, result.output
    assert "Added 120 synthetic illustrative cases (seed 4)" in result.output
    assert db.session.scalar(select(func.count()).select_from(Case)) == 120
    refused = runner.invoke(args=["demo", "--bulk", "0"])
    assert refused.exit_code != 0
