"""Reports count time in each state, so held time shows apart from time worked on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tracker.services.time_in_state import time_in_state
from tracker.services.transitions import fire_trigger

START = datetime(2026, 5, 4, 2, 0, tzinfo=UTC)


def test_held_time_is_counted_under_on_hold(make_case, officer):
    reference = make_case(now=START).case.reference
    note = {"owner_id": officer.id, "note": "n"}
    fire_trigger(officer, reference, "analyse", note, now=START + timedelta(days=2))
    wait = {"reason": "Payslips.", "waiting_for": "raiser"}
    fire_trigger(officer, reference, "hold", wait, now=START + timedelta(days=3))
    fire_trigger(officer, reference, "resume", {"note": "Came."}, now=START + timedelta(days=13))
    figures = {
        row.state: (row.stays, row.days)
        for row in time_in_state(officer, START + timedelta(days=15))
    }
    assert figures == {"logged": (1, 2.0), "analysed": (2, 3.0), "on_hold": (1, 10.0)}


def test_the_reports_page_shows_time_in_state(app, make_case, officer):
    from tests.web.conftest import IsolatedClient, post_login

    make_case(now=START)
    client = app.test_client()
    client.__class__ = IsolatedClient
    post_login(client, officer.email)
    page = client.get("/reports").get_data(as_text=True)
    assert "Time in each state" in page and 'class="crosstab state-times"' in page


def test_every_stay_is_counted_however_many_events_there_are(make_case, officer):
    # The stays were once read row by row in Python, the latest MAX_EVENTS (200,000) only:
    # 2.4 s of the reports page at 100,000 cases, and silently partial beyond ~55,000.
    for number in range(3):
        reference = make_case(now=START + timedelta(hours=number)).case.reference
        note = {"owner_id": officer.id, "note": "n"}
        fire_trigger(officer, reference, "analyse", note, now=START + timedelta(days=1))
    figures = {row.state: row.stays for row in time_in_state(officer, START + timedelta(days=2))}
    assert figures == {"logged": 3, "analysed": 3}
