"""The time rules as PRODUCT.md states them, checked with numbers written here, not imported.

Each test pins one rule so that changing it in workflows/time_rules.py (or going around it) fails:
due soon = within 2 working days; this week = the ISO week in Phnom Penh (Monday to Sunday);
an agency answers within 20 working days unless it has its own time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.services.test_deadlines_service import local_day, nth_working_day_after
from tracker.extensions import db
from tracker.models import Agency, Case
from tracker.services import admin as admin_service
from tracker.services.dashboard import dashboard_for
from tracker.services.deadlines import allowed_working_days
from tracker.services.transitions import fire_trigger
from tracker.web.helpers import due_status
from tracker.working_days import working_calendar
from workflows import WorkingCalendar
from workflows.time_rules import (
    escalates,
    is_due_soon,
    is_due_this_week,
    overdue_period,
    week_of,
)

PHNOM_PENH = ZoneInfo("Asia/Phnom_Penh")
# Wednesday 4 March 2026, 16:00 in Phnom Penh; no holidays until the end of March.
NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


def at(day: int, hour: int = 17, month: int = 3) -> datetime:
    """A Phnom Penh wall-clock moment in 2026, as aware UTC."""
    return datetime(2026, month, day, hour, tzinfo=PHNOM_PENH).astimezone(UTC)


def test_due_soon_is_two_working_days():
    calendar = WorkingCalendar()
    assert is_due_soon(at(5), NOW, calendar)  # Thursday: 1 working day
    assert is_due_soon(at(6), NOW, calendar)  # Friday: 2 working days
    assert not is_due_soon(at(9), NOW, calendar)  # Monday: 3 working days
    assert not is_due_soon(at(3), NOW, calendar)  # passed: overdue, not "soon"
    # From Friday, the weekend does not count: Tuesday is 2 working days away.
    assert is_due_soon(at(10), at(6, 9), calendar)
    assert not is_due_soon(at(11), at(6, 9), calendar)


def test_the_web_chip_uses_the_same_two_working_days(app):
    with app.test_request_context():
        assert due_status(at(6), NOW).kind == "soon"
        assert due_status(at(9), NOW).kind == "ok"
        assert due_status(at(10), at(6, 9)).kind == "soon"  # 4 calendar days, 2 working days
        assert due_status(at(3), NOW).kind == "overdue"


def test_this_week_is_the_iso_week_in_phnom_penh():
    calendar = WorkingCalendar()
    week = week_of(NOW, calendar)
    assert (week.year, week.number) == (2026, 10)
    assert week.start == datetime(2026, 3, 2, tzinfo=PHNOM_PENH)
    assert week.end == datetime(2026, 3, 9, tzinfo=PHNOM_PENH)
    assert is_due_this_week(at(8, 23), NOW, calendar)  # Sunday night
    assert not is_due_this_week(at(9, 0), NOW, calendar)  # Monday 00:00 starts the next week
    # Sunday 8 March 23:30 UTC is already Monday 06:30 in Phnom Penh: week 11.
    assert week_of(datetime(2026, 3, 8, 23, 30, tzinfo=UTC), calendar).number == 11


def test_overdue_notices_repeat_every_five_working_days_and_escalate_after_ten():
    assert [overdue_period(days) for days in (0, 1, 5, 6, 10, 11, 16)] == [0, 0, 0, 1, 1, 2, 3]
    assert not escalates(10) and escalates(11)


def test_the_dashboard_due_this_week_ends_on_sunday(make_case, officer):
    cases = {}
    for name, due in (("friday", at(6)), ("next_monday", at(9)), ("next_tuesday", at(10))):
        case = make_case(now=at(2, 9), title=name).case
        case.owner_id, case.due_at = officer.id, due
        cases[name] = case
    db.session.commit()
    board = dashboard_for(officer, NOW)
    # A rolling 7 days would take Monday and Tuesday too; the ISO week stops on Sunday.
    assert [c.title for c in board.due_this_week.items] == ["friday"]
    assert board.due_this_week.total == 1


def test_an_agency_answers_within_20_working_days_by_default(admin):
    agency = admin_service.create_agency(admin, {"code": "MOLVT", "name_en": "Labour ministry"})
    db.session.expire_all()
    assert db.session.get(Agency, agency.id).response_days == 20
    assert allowed_working_days("case", "referred", None) == 20
    assert allowed_working_days("case", "referred", db.session.get(Agency, agency.id)) == 20


def test_a_referral_to_a_new_agency_is_due_in_20_working_days(make_case, officer, admin):
    agency = admin_service.create_agency(admin, {"code": "MOH", "name_en": "Health ministry"})
    reference = make_case(now=NOW).case.reference
    fire_trigger(officer, reference, "analyse", {"owner_id": officer.id, "note": "ok"}, now=NOW)
    later = NOW + timedelta(days=1)
    fire_trigger(officer, reference, "refer", {"agency_id": agency.id, "note": "x"}, now=later)
    case = db.session.scalar(db.select(Case).where(Case.reference == reference))
    assert local_day(case.due_at) == nth_working_day_after(local_day(later), 20)
    assert working_calendar().working_days_between(later, case.due_at) == 20
