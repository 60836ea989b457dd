"""Sign-in: CSRF, cookie flags, rotation, revocation, timeouts, throttling, language."""

from __future__ import annotations

import pytest

from tests.conftest import TEST_PASSWORD
from tests.conftest import test_settings as settings_for
from tests.web.conftest import csrf_token, post_form, post_login
from tracker import create_app
from tracker.extensions import db


def test_pages_need_login_and_redirect_there(client):
    response = client.get("/cases")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_login_and_logout(client, login, officer):
    login(officer)
    assert client.get("/").status_code == 200
    response = post_form(client, "/logout")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_without_saying_which_part(client, officer):
    response = post_login(client, officer.email, "x")
    assert response.status_code == 401
    assert "Wrong email or password." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_without_csrf_token_is_refused(client, officer):
    response = client.post("/login", data={"email": officer.email, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_state_changes_need_the_csrf_token(client, login, officer, make_case):
    login(officer)
    reference = make_case().case.reference
    response = client.post(f"/cases/{reference}/comments", data={"body": "forged"})
    assert response.status_code == 400
    assert "forged" not in client.get(f"/cases/{reference}").get_data(as_text=True)


def test_no_state_change_on_get(client, login, officer):
    login(officer)
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_api_paths_are_not_csrf_checked(client):
    # Bearer-token API: no cookie session, so no CSRF token; an unknown route answers 404.
    assert client.post("/api/v1/nothing-here", json={}).status_code == 404


def test_session_cookie_flags(client, officer):
    response = post_login(client, officer.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development; production sets SESSION_COOKIE_SECURE


def test_secure_cookie_outside_development(db_url, officer):
    app = create_app(settings_for(db_url, SESSION_COOKIE_SECURE=True))
    client = app.test_client()
    client.get("/login", base_url="https://tracker.test")
    assert client.get_cookie("session", domain="tracker.test").secure


def test_session_is_rotated_at_login(client, login, officer):
    client.get("/login")
    before = client.get_cookie("session").value
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(officer)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["sid"]
    assert client.get_cookie("session").value != before


def test_logout_invalidates_a_copied_cookie(client, login, officer, app):
    login(officer)
    stolen = client.get_cookie("session").value
    post_form(client, "/logout")
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/").status_code == 302


def test_disabling_a_user_ends_their_session(client, login, officer, admin):
    from tracker.services.user_admin import update_user

    login(officer)
    update_user(admin, officer.id, {"active": False})
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("key", ["seen_at", "login_at"])
def test_idle_and_absolute_timeouts(client, login, officer, app, key):
    login(officer)
    limit = app.config["SESSION_IDLE_TIMEOUT" if key == "seen_at" else "SESSION_ABSOLUTE_TIMEOUT"]
    with client.session_transaction() as session:
        session[key] -= limit + 1
    assert client.get("/").status_code == 302


def test_login_is_throttled(db_url, officer):
    app = create_app(settings_for(db_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute"))
    client = app.test_client()
    token = csrf_token(client, "/login")
    codes = [
        client.post(
            "/login", data={"csrf_token": token, "email": officer.email, "password": "wrong"}
        ).status_code
        for _ in range(4)
    ]
    assert codes == [401, 401, 401, 429]
    with app.app_context():
        db.engine.dispose()


def test_case_pages_are_not_cached(client, login, officer, make_case):
    login(officer)
    response = client.get(f"/cases/{make_case().case.reference}")
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_language_is_remembered_per_user(client, login, officer):
    login(officer)
    response = post_form(client, "/language", {"language": "km", "next": "/cases"})
    assert response.headers["Location"] == "/cases"
    db.session.refresh(officer)
    assert officer.language == "km"
    post_form(client, "/logout")
    login(officer)
    page = client.get("/").get_data(as_text=True)
    assert 'lang="km"' in page and "ផ្ទាំងដើម" in page


def test_language_before_login_lives_in_the_session(client):
    post_form(client, "/language", {"language": "km", "next": "//evil.example/"})
    page = client.get("/status").get_data(as_text=True)
    assert "ស្ថានភាពករណី" in page
    assert ">English<" in page and ">ខ្មែរ<" in page


def test_next_link_stays_on_the_site(client, officer):
    response = post_login(client, officer.email, url="/login?next=https://evil.example/")
    assert response.headers["Location"] == "/"


def test_error_pages_speak_the_readers_language_and_keep_the_switch(client):
    post_form(client, "/language", {"language": "km"})
    response = client.get("/no-such-page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "រកមិនឃើញ" in html and ">English<" in html and ">ខ្មែរ<" in html
