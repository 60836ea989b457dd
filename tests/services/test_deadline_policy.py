"""The admin's deadline policy: new working days and days off reach the next due dates only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.services.test_deadlines_service import local_day, nth_working_day_after
from tests.support import trigger_data
from tracker.extensions import db
from tracker.models import DayOff, DeadlinePolicy
from tracker.services.deadline_policy import (
    add_day_off,
    remove_day_off,
    set_deadline_policy,
)
from tracker.services.deadlines import allowed_working_days, due_at_for
from tracker.services.errors import PermissionDenied, ValidationFailed
from tracker.services.transitions import fire_trigger
from tracker.services.workflow_info import describe_workflow


def test_a_new_policy_changes_the_next_due_dates_and_only_those(make_case, officer, admin, now):
    before = make_case(now=now).case
    waiting = make_case(now=now).case
    assert local_day(before.due_at) == nth_working_day_after(local_day(now), 5)

    set_deadline_policy(admin, "case", "logged", 2)
    set_deadline_policy(admin, "case", "analysed", "3")  # a web form sends text
    later = now + timedelta(hours=1)
    after = make_case(now=later).case
    fire_trigger(
        officer, waiting.reference, "analyse", trigger_data("analyse", officer.id, 0), now=later
    )

    db.session.expire_all()
    assert local_day(after.due_at) == nth_working_day_after(local_day(later), 2)
    # Entering "analysed" after the edit: the new 3 days, not the default 10.
    assert local_day(waiting.due_at) == nth_working_day_after(local_day(later), 3)
    # Already in "logged" before the edit: keeps the 5 days it was given.
    assert local_day(before.due_at) == nth_working_day_after(local_day(now), 5)
    assert describe_workflow("case")["deadlines"]["logged"] == 2


def test_a_blank_policy_goes_back_to_the_default(admin, now):
    set_deadline_policy(admin, "case", "responded", 4)
    assert allowed_working_days("case", "responded", None) == 4
    assert set_deadline_policy(admin, "case", "responded", "") is None
    assert db.session.get(DeadlinePolicy, ("case", "responded")) is None
    assert allowed_working_days("case", "responded", None) == 10


@pytest.mark.parametrize(
    ("workflow", "state", "days", "field"),
    [
        ("case", "logged", 0, "working_days"),
        ("case", "logged", "ten", "working_days"),
        ("case", "logged", 366, "working_days"),
        ("case", "closed", 5, "state"),  # no deadline there
        ("case", "referred", 5, "state"),  # the agency's own response time applies
        ("nope", "logged", 5, "workflow"),
    ],
)
def test_bad_policy_is_refused_and_changes_nothing(admin, workflow, state, days, field):
    with pytest.raises(ValidationFailed) as refused:
        set_deadline_policy(admin, workflow, state, days)
    assert list(refused.value.errors) == [field]
    assert db.session.scalars(db.select(DeadlinePolicy)).all() == []


def test_only_admins_edit_the_policy(officer):
    with pytest.raises(PermissionDenied):
        set_deadline_policy(officer, "case", "logged", 2)
    with pytest.raises(PermissionDenied):
        add_day_off(officer, "2026-03-05", "Storm")
    assert db.session.scalars(db.select(DeadlinePolicy)).all() == []
    assert db.session.scalars(db.select(DayOff)).all() == []


def test_a_day_off_makes_a_new_due_date_skip_it(make_case, admin, now):
    before = make_case(now=now).case
    first = nth_working_day_after(local_day(now), 1)
    add_day_off(admin, first.isoformat(), "Day of mourning")
    after = make_case(now=now).case
    db.session.expire_all()
    # Five working days from the same start now end one working day later.
    assert local_day(after.due_at) == nth_working_day_after(local_day(now), 6)
    assert local_day(before.due_at) == nth_working_day_after(local_day(now), 5)


def test_a_day_off_counts_in_every_calendar_use(admin, now):
    due = due_at_for("case", "logged", now, None)
    add_day_off(admin, date(2026, 3, 5), "Extra day off")
    assert due_at_for("case", "logged", now, None) == due + timedelta(days=1)
    remove_day_off(admin, date(2026, 3, 5))
    assert due_at_for("case", "logged", now, None) == due


def test_a_day_off_committed_elsewhere_is_seen_by_the_next_transaction(app, admin, now):
    due = due_at_for("case", "logged", now, None)
    db.session.commit()
    # Another process (here: a raw statement outside the service) adds a day off.
    with db.engine.begin() as connection:
        connection.execute(
            DayOff.__table__.insert().values(
                day=date(2026, 3, 5), name="Announced by radio", created_at=datetime.now(UTC)
            )
        )
    assert due_at_for("case", "logged", now, None) == due + timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "name", "fields"),
    [
        ("05/03/2026", "Storm", ["day"]),
        ("2026-03-05", "", ["name"]),
        ("", "Bad\x00name", ["day", "name"]),
    ],
)
def test_bad_day_off_is_refused(admin, day, name, fields):
    with pytest.raises(ValidationFailed) as refused:
        add_day_off(admin, day, name)
    assert sorted(refused.value.errors) == fields
    assert db.session.scalars(db.select(DayOff)).all() == []


def test_the_same_day_off_twice_is_refused(admin):
    add_day_off(admin, "2026-03-05", "Storm")
    with pytest.raises(ValidationFailed) as refused:
        add_day_off(admin, "2026-03-05", "Storm again")
    assert list(refused.value.errors) == ["day"]
    assert [d.name for d in db.session.scalars(db.select(DayOff))] == ["Storm"]
