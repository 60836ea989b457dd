"""Invitations and password resets: emailed one-time links that work once, then answer 410."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from notifications.delivery import deliver
from notifications.models import OutboxMessage
from tests.conftest import test_settings
from tests.notifications.conftest import smtp  # noqa: F401  (the SMTP server fixture)
from tests.web.accounts_support import mailed_link, new_client, outbox_link, sign_in
from tests.web.conftest import csrf_token, post_form, post_login
from tracker import create_app
from tracker.extensions import db
from tracker.models import AccountLink, User, now_utc
from tracker.services.users import create_user

PASSWORD = "chosen by the new user"
CSRF_VALUE = re.compile(r'(?<=csrf_token" type="hidden" value=")[^"]+')


def _invite_on_the_web(client, login, admin, organisation, email: str, language: str = "en"):
    login(admin)
    form = {"email": email, "name": "Chantha", "role": "representative", "language": language}
    form |= {"agency_id": "", "organisation_id": str(organisation.id), "active": "y"}
    page = client.get("/admin/users/new").get_data(as_text=True)
    assert 'name="password"' not in page  # admins choose no passwords
    assert '<option selected value="representative">' in page  # least privilege first
    assert post_form(client, "/admin/users/new", form).status_code == 302
    listed = client.get("/admin/users").get_data(as_text=True)
    assert f"{email} is invited: an email with a link to choose a password" in listed
    return db.session.scalar(select(User).where(User.email == email))


def test_an_invitation_email_sets_the_password_once_then_410(
    app,
    client,
    login,
    admin,
    organisation,
    smtp,  # noqa: F811
):
    user = _invite_on_the_web(client, login, admin, organisation, "chantha@example.org")
    assert post_login(new_client(app), user.email, "").status_code == 401  # no password yet
    deliver(now_utc())
    (received,) = smtp.handler.to(user.email)
    assert received.message["Subject"] == "You are invited to the Forum Case Tracker"
    path = mailed_link(received.message)
    assert path.startswith("/invitation/")

    visitor = new_client(app)
    page = visitor.get(path)
    assert page.status_code == 200 and user.email in page.get_data(as_text=True)
    short = post_form(visitor, path, {"password": "short", "confirm": "short"})
    assert short.status_code == 422 and "Use at least 10 characters." in short.get_data(
        as_text=True
    )
    typo = post_form(visitor, path, {"password": PASSWORD, "confirm": PASSWORD + "x"})
    assert typo.status_code == 422
    assert "The two passwords differ. Type the new one twice." in typo.get_data(as_text=True)
    assert post_login(new_client(app), user.email, PASSWORD).status_code == 401  # still unset
    assert post_form(visitor, path, {"password": PASSWORD, "confirm": PASSWORD}).status_code == 302
    sign_in(app, user, PASSWORD)
    gone = visitor.get(path)
    assert gone.status_code == 410
    assert 'href="/password/forgot"' in gone.get_data(as_text=True)  # a way to a new link
    again = visitor.post(
        path, data={"csrf_token": csrf_token(visitor), "password": "x" * 12, "confirm": "x" * 12}
    )
    assert again.status_code == 410
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash.startswith("$argon2id$")


def test_an_expired_invitation_answers_410(app, admin, organisation):
    past = now_utc() - timedelta(hours=73)  # the default lifetime is 72 hours
    create_user(
        "late@example.org", None, "representative", organisation_id=organisation.id, now=past
    )
    path = outbox_link("account_invite", "late@example.org")
    visitor = new_client(app)
    assert visitor.get(path).status_code == 410
    answer = visitor.post(
        path, data={"csrf_token": csrf_token(visitor), "password": PASSWORD, "confirm": PASSWORD}
    )
    assert answer.status_code == 410
    assert post_login(new_client(app), "late@example.org", PASSWORD).status_code == 401


def test_an_unknown_link_answers_410(client):
    assert client.get("/invitation/" + "x" * 43).status_code == 410
    assert client.get("/password/reset/" + "x" * 43).status_code == 410


def test_forgotten_password_answers_the_same_for_known_and_unknown_addresses(
    app,
    officer,
    smtp,  # noqa: F811
):
    answers = []
    for email in (officer.email, "nobody@example.org"):
        visitor = new_client(app)
        posted = post_form(visitor, "/password/forgot", {"email": email})
        followed = visitor.get(posted.headers["Location"])
        answers.append(
            (
                posted.status_code,
                posted.headers["Location"],
                CSRF_VALUE.sub("", followed.get_data(as_text=True)),
            )
        )
    assert answers[0][:2] == answers[1][:2] == (302, "/password/forgot")
    assert answers[0][2] == answers[1][2]
    assert "If an account has this address" in answers[0][2]

    deliver(now_utc())
    assert smtp.handler.to("nobody@example.org") == []
    (received,) = smtp.handler.to(officer.email)
    path = mailed_link(received.message)
    visitor = new_client(app)
    assert post_form(visitor, path, {"password": PASSWORD, "confirm": PASSWORD}).status_code == 302
    sign_in(app, officer, PASSWORD)
    assert visitor.get(path).status_code == 410


def test_an_expired_reset_link_answers_410(app, officer):
    from tracker.services.account_links import request_password_reset

    request_password_reset(officer.email, ip=None, now=now_utc() - timedelta(hours=2))
    assert new_client(app).get(outbox_link("password_reset", officer.email)).status_code == 410


def test_resets_are_limited_per_client_and_per_address(app, db_url, officer):
    limited = create_app(
        test_settings(db_url, RATELIMIT_ENABLED=True, PASSWORD_RESET_RATE_LIMIT="2 per minute")
    )
    visitor = limited.test_client()
    token = csrf_token(visitor, "/password/forgot")
    codes = [
        visitor.post(
            "/password/forgot", data={"csrf_token": token, "email": officer.email}
        ).status_code
        for _ in range(3)
    ]
    assert codes == [302, 302, 429]
    with limited.app_context():
        db.engine.dispose()

    for _ in range(5):  # another client each time: only the per-address cap (3 an hour) holds
        post_form(new_client(app), "/password/forgot", {"email": officer.email})
    db.session.expire_all()
    mails = select(func.count()).where(OutboxMessage.template == "password_reset")
    assert db.session.scalar(mails) == 3
    assert db.session.scalar(select(func.count()).select_from(AccountLink)) == 3


def test_emails_speak_the_users_language(app, client, login, admin, organisation, smtp):  # noqa: F811
    user = _invite_on_the_web(client, login, admin, organisation, "km@example.org", "km")
    deliver(now_utc())
    (received,) = smtp.handler.to(user.email)
    assert "អញ្ជើញ" in received.message["Subject"]
    assert mailed_link(received.message).startswith("/invitation/")
