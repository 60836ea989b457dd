"""The admin deadlines page: per-state working days, agencies' times, days off; CSRF; Khmer."""

from __future__ import annotations

import re

from tests.web.conftest import post_form, post_login
from tracker.extensions import db
from tracker.models import DayOff, DeadlinePolicy


def test_deadlines_page_is_for_admins_only(app, client, officer, agency_user, representative):
    assert client.get("/admin/deadlines").status_code == 302  # to the login page
    for user in (officer, agency_user, representative):
        browser = app.test_client()
        post_login(browser, user.email)
        assert browser.get("/admin/deadlines").status_code == 403
        assert (
            post_form(
                browser, "/admin/deadlines/case/logged", {"case-logged-working_days": "2"}
            ).status_code
            == 403
        )
        assert (
            post_form(
                browser, "/admin/deadlines/days-off", {"day": "2026-03-05", "name": "x"}
            ).status_code
            == 403
        )
    assert db.session.scalars(db.select(DeadlinePolicy)).all() == []
    assert db.session.scalars(db.select(DayOff)).all() == []


def test_admin_sets_working_days_with_errors_beside_the_field(client, login, admin, agency):
    login(admin)
    page = client.get("/admin/deadlines").get_data(as_text=True)
    assert 'name="case-logged-working_days"' in page and 'value="5"' in page
    assert 'name="case-referred-working_days"' not in page  # the agency's time applies
    assert "NSSF" in page and f'href="/admin/agencies/{agency.id}"' in page
    bad = post_form(client, "/admin/deadlines/case/logged", {"case-logged-working_days": "0"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and 'id="case-logged-working_days-error"' in html
    assert "Must be a whole number from 1 to 365." in html
    assert db.session.scalars(db.select(DeadlinePolicy)).all() == []
    ok = post_form(client, "/admin/deadlines/case/logged", {"case-logged-working_days": "3"})
    assert ok.status_code == 302
    assert db.session.get(DeadlinePolicy, ("case", "logged")).working_days == 3
    assert 'value="3"' in client.get("/admin/deadlines").get_data(as_text=True)
    assert post_form(client, "/admin/deadlines/case/closed", {}).status_code == 404


def test_admin_adds_and_removes_a_day_off_in_khmer(client, login, make_user):
    login(make_user("admin", language="km"))
    bad = post_form(client, "/admin/deadlines/days-off", {"day": "5 March", "name": ""})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert 'id="day-error"' in html and 'id="name-error"' in html
    assert "ថ្ងៃឈប់សម្រាក" in html and "This field may not be blank." not in html
    ok = post_form(client, "/admin/deadlines/days-off", {"day": "2026-03-05", "name": "Storm"})
    assert ok.status_code == 302
    assert [d.name for d in db.session.scalars(db.select(DayOff))] == ["Storm"]
    assert "Storm" in client.get("/admin/deadlines").get_data(as_text=True)
    assert post_form(client, "/admin/deadlines/days-off/2026-03-05/remove").status_code == 302
    assert db.session.scalars(db.select(DayOff)).all() == []


def test_deadline_forms_need_the_csrf_token(app, admin):
    browser = app.test_client()
    post_login(browser, admin.email)
    answer = browser.post("/admin/deadlines/days-off", data={"day": "2026-03-05", "name": "x"})
    assert answer.status_code == 400
    answer = browser.post("/admin/deadlines/case/logged", data={"case-logged-working_days": "2"})
    assert answer.status_code == 400
    assert db.session.scalars(db.select(DayOff)).all() == []
    assert db.session.scalars(db.select(DeadlinePolicy)).all() == []


def test_workflows_are_named_by_their_labels_in_the_readers_language(client, login, make_user):
    login(make_user("admin", language="km"))
    page = client.get("/admin/deadlines").get_data(as_text=True)
    cells = re.findall(r'<td data-label="[^"]*">([^<]*)</td>', page)
    assert "សំណើសុំព័ត៌មាន" in cells  # info_request's label in Khmer
    assert "info_request" not in cells
