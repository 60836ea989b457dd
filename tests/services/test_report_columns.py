"""The stored report columns: each case's local day of logging and each answer's working days
are written by every writer, and migration 0010 fills the same values into existing rows."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, update

from tracker.extensions import db
from tracker.models import Case, Referral
from tracker.services.synthetic import add_synthetic_cases
from tracker.working_days import working_calendar


def test_a_case_logged_late_in_the_evening_utc_is_logged_on_the_next_local_day(make_case):
    # 18:30 UTC is 01:30 the next morning in Phnom Penh (UTC+7).
    case = make_case(now=datetime(2026, 3, 4, 18, 30, tzinfo=UTC)).case
    db.session.expire_all()
    assert db.session.get(Case, case.id).logged_on.isoformat() == "2026-03-05"


def _stored(session) -> tuple[dict, dict]:
    days = dict(session.execute(select(Case.id, Case.logged_on)).all())
    answers = dict(
        session.execute(
            select(Referral.id, Referral.response_days).where(Referral.answered_at.is_not(None))
        ).all()
    )
    return days, answers


def _migration(name: str = "0010_report_columns"):
    """A migration as a module (its file name is not an importable name)."""
    path = Path(__file__).parents[2] / "migrations" / "versions" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"migration_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_fills_what_the_writers_store(app, now):
    add_synthetic_cases(120, seed=4, now=now)
    written = _stored(db.session)
    calendar = working_calendar()
    for referral in db.session.scalars(select(Referral).where(Referral.answered_at.is_not(None))):
        between = calendar.working_days_between(referral.referred_at, referral.answered_at)
        assert referral.response_days == max(0, between)
    db.session.remove()
    migration = _migration()
    with db.engine.begin() as connection:
        # The rows as they were before the migration: no stored day, no stored working days.
        connection.execute(update(Case).values(logged_on=None))
        connection.execute(update(Referral).values(response_days=None))
        migration._fill_logged_on(connection)
        migration._fill_response_days(connection)
    filled = _stored(db.session)
    assert written[1] and None not in written[0].values()
    assert filled == written


def test_migration_0011_fills_the_stays_the_writers_store(app, now, make_case, officer):
    from datetime import timedelta

    from tracker.models import Event
    from tracker.services.transitions import fire_trigger

    add_synthetic_cases(60, seed=5, now=now)
    reference = make_case(now=now - timedelta(days=9)).case.reference
    note = {"owner_id": officer.id, "note": "n"}
    fire_trigger(officer, reference, "analyse", note, now=now - timedelta(days=6, hours=3))
    wait = {"reason": "Payslips.", "waiting_for": "raiser"}
    fire_trigger(officer, reference, "hold", wait, now=now - timedelta(days=2))
    stays = select(Event.id, Event.stay_seconds).where(Event.kind == "transition")
    written = dict(db.session.execute(stays).all())
    db.session.remove()
    with db.engine.begin() as connection:
        connection.execute(update(Event).values(stay_seconds=None))
        _migration("0011_stays")._fill_stays(connection)
    filled = dict(db.session.execute(stays).all())
    assert len(written) > 60 and None not in written.values()
    assert filled.keys() == written.keys()
    assert all(abs(filled[k] - written[k]) < 0.01 for k in written)
    assert sorted(written.values())[-1] > 0
