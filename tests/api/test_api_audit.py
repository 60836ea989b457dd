"""The admin trail: every admin action, sign-in and token in it with actor and address; read by
admins on GET /api/v1/audit (filters, pages) and /admin/audit."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from notifications.delivery import deliver
from notifications.models import OutboxMessage
from tests.conftest import TEST_PASSWORD
from tests.web.accounts_support import new_client, sign_in
from tests.web.conftest import post_form, post_login
from tracker.extensions import db
from tracker.models import AuditEntry, now_utc

ADMIN_ACTIONS = {
    "agency_created",
    "agency_changed",
    "organisation_created",
    "organisation_changed",
    "forum_created",
    "forum_changed",
    "category_changed",
    "user_invited",
    "user_created",
    "user_changed",
    "password_set",
    "password_reset_sent",
    "outbox_retried",
    "deadline_changed",
    "day_off_added",
    "day_off_removed",
}
SIGN_IN_ACTIONS = {"login", "token_issued", "token_revoked", "logout"}


def _admin_session_does_everything(app, admin, organisation) -> None:
    """Each admin action once, through the API or the web pages, as a real client would."""
    signed = sign_in(app, admin)
    api, web = signed.web, signed.web
    headers = {"Authorization": f"Bearer {signed.token}"}

    def call(method: str, path: str, body: dict, status: int) -> dict:
        answer = api.open(path, method=method, json=body, headers=headers)
        assert answer.status_code == status, answer.get_data(as_text=True)
        return answer.get_json() or {}

    agency = call("POST", "/api/v1/agencies", {"code": "MOWA", "name_en": "Women"}, 201)
    call("PATCH", f"/api/v1/agencies/{agency['id']}", {"response_days": 15}, 200)
    call("POST", "/api/v1/organisations", {"name": "Farmers", "kind": "association"}, 201)
    renamed = {"name": "Garment Union", "kind": "union"}
    assert post_form(web, f"/admin/organisations/{organisation.id}", renamed).status_code == 302
    forum = call("POST", "/api/v1/forums", {"title": "Kampot", "date": "2026-05-02"}, 201)
    call("PATCH", f"/api/v1/forums/{forum['id']}", {"venue": "Town hall"}, 200)
    category = {"label_en": "Maternity", "label_km": "មាតុភាព", "position": "1", "active": "y"}
    assert post_form(web, "/admin/categories/maternity", category).status_code == 302
    call("POST", "/api/v1/users", {"email": "new@example.org", "role": "officer"}, 201)
    user = {"email": "script@example.org", "role": "officer", "password": TEST_PASSWORD}
    created = call("POST", "/api/v1/users", user, 201)
    call("PATCH", f"/api/v1/users/{created['id']}", {"role": "admin"}, 200)
    call("PATCH", f"/api/v1/users/{created['id']}", {"password": "another passphrase"}, 200)
    assert post_form(web, f"/admin/users/{created['id']}/reset-password").status_code == 302
    days = {"case-logged-working_days": "3"}
    assert post_form(web, "/admin/deadlines/case/logged", days).status_code == 302
    storm = {"day": "2026-03-05", "name": "Storm"}
    assert post_form(web, "/admin/deadlines/days-off", storm).status_code == 302
    assert post_form(web, "/admin/deadlines/days-off/2026-03-05/remove").status_code == 302
    deliver(now_utc())  # no mail server: the invitation is marked unsent, so it can be retried
    unsent = db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.status == "unsent"))
    assert post_form(web, f"/admin/outbox/{unsent}/retry").status_code == 302
    assert api.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert post_form(web, "/logout").status_code == 302


def test_every_admin_action_and_sign_in_is_recorded_with_actor_and_address(
    app, admin, organisation
):
    assert post_login(new_client(app), admin.email, "wrong password").status_code == 401
    wrong = {"email": "Nobody@Example.org", "password": TEST_PASSWORD}
    assert new_client(app).post("/api/v1/auth/token", json=wrong).status_code == 401
    _admin_session_does_everything(app, admin, organisation)

    reader = sign_in(app, admin)
    answer = reader.web.get(
        "/api/v1/audit?per_page=100", headers={"Authorization": f"Bearer {reader.token}"}
    )
    assert answer.status_code == 200
    items = answer.get_json()["items"]
    by_admin = {i["action"] for i in items if i["actor"] == admin.email}
    assert by_admin >= ADMIN_ACTIONS | SIGN_IN_ACTIONS, ADMIN_ACTIONS - by_admin
    made_by_fixtures = [i for i in items if i["actor"] == "system"]
    assert [i["action"] for i in made_by_fixtures] == ["user_created"]  # the admin, no request
    assert all(i["ip"] == "127.0.0.1" for i in items if i not in made_by_fixtures)
    failed = [(i["actor"], i["details"]["via"]) for i in items if i["action"] == "login_failed"]
    assert sorted(failed) == [(admin.email, "web"), ("nobody@example.org", "api")]
    assert {"actor", "action", "target", "at", "ip"} <= set(items[0])


def test_a_refused_admin_action_leaves_no_entry(app, admin, api_as):
    answer = api_as(admin).post("/api/v1/agencies", json={"code": "bad code!", "name_en": "X"})
    assert answer.status_code == 422
    assert db.session.scalar(select(func.count()).where(AuditEntry.action.like("agency%"))) == 0


def test_the_trail_filters_and_pages_for_admins_only(app, admin, officer, api_as):
    for _ in range(3):
        assert post_login(new_client(app), officer.email).status_code == 302
    post_login(new_client(app), officer.email, "wrong password")
    as_admin = api_as(admin)
    logins = as_admin.get(f"/api/v1/audit?actor={officer.email.upper()}&action=login&per_page=2")
    body = logins.get_json()
    assert (body["total"], body["pages"], len(body["items"])) == (3, 2, 2)
    assert {i["actor"] for i in body["items"]} == {officer.email}
    later = as_admin.get("/api/v1/audit?since=2099-01-01T00:00:00Z").get_json()
    assert later["total"] == 0
    earlier = as_admin.get("/api/v1/audit?until=2001-01-01T00:00:00Z&action=login").get_json()
    assert earlier["total"] == 0
    assert as_admin.get("/api/v1/audit?action=nonsense").status_code == 422
    assert api_as(officer).get("/api/v1/audit").status_code == 403


def test_the_audit_page_shows_and_filters_the_trail(app, admin, officer):
    post_login(new_client(app), officer.email, "wrong password")
    web = sign_in(app, admin).web
    page = web.get("/admin/audit?action=login_failed").get_data(as_text=True)
    assert "Failed login" in page and officer.email in page and "127.0.0.1" in page
    today = now_utc().astimezone(ZoneInfo(app.config["TIMEZONE"])).date().isoformat()
    assert officer.email in web.get(f"/admin/audit?from={today}&to={today}").get_data(as_text=True)
    none = web.get("/admin/audit?actor=someone@else.org").get_data(as_text=True)
    assert "Nothing matches these filters." in none
    officer_web = sign_in(app, officer).web
    assert officer_web.get("/admin/audit").status_code == 403


def test_the_audit_page_says_which_filter_it_could_not_use(app, admin, officer):
    """A day that is not a day or an unknown action: 422, a message beside that filter."""
    post_login(new_client(app), officer.email, "wrong password")
    web = sign_in(app, admin).web
    bad = web.get("/admin/audit?from=2026-13-45&to=soon&action=nonsense")
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    for name in ("from", "to", "action"):
        assert f'id="{name}-error"' in html and f'aria-describedby="{name}-error"' in html
    assert "choose it in the calendar" in html and "No such action." in html
    assert "YYYY-MM-DD" not in html
    assert 'value="2026-13-45"' in html  # what was typed stays there to be corrected
    good = web.get("/admin/audit?action=login_failed")
    assert good.status_code == 200 and 'class="error"' not in good.get_data(as_text=True)
